use super::*;

fn sample() -> Recherche {
    Recherche {
        q: "aide-soignant".into(),
        metier: Some("J1501".into()),
        zone: Zone::Commune { code: "35238".into(), rayon: 20 },
        types_contrat: vec![TypeContrat::Cdi, TypeContrat::Cdd],
        experience: Some(Experience::UnATroisAns),
        temps_plein: Some(false),
        heures_min: Some(20),
        heures_max: Some(30),
        qualification: Some(Qualification::NonCadre),
        secteurs: vec!["86".into(), "87".into()],
        salaire_min: Some(1900),
        periode_salaire: Some(PeriodeSalaire::Mois),
        handi_engage: true,
        manque_candidats: true,
        origine: Origine::FranceTravail,
        publiee_depuis: Some(7),
        tri: Tri::Date,
        page: 2,
        par_page: 10,
        ..Recherche::default()
    }
}

fn read(query: &str) -> Result<Recherche, Invalide> {
    let pairs: Vec<(String, String)> = form_pairs(query);
    Recherche::from_query(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &Param::ALL,
        &["site"],
    )
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_owned(), v.replace("%2C", ","))
        })
        .collect()
}

fn refused(query: &str) -> (String, Refus) {
    match read(query).and_then(|r| r.check().map(|()| r)) {
        Err(e) => (e.parametre, e.refus),
        Ok(r) => panic!("{query} accepted: {r:?}"),
    }
}

#[test]
fn the_text_form_reads_back_to_the_same_search() {
    let p = sample();
    let pairs = p.pairs();
    let back = Recherche::from_query(pairs.iter().map(|(k, v)| (*k, v.as_str())), &Param::ALL, &[])
        .unwrap();
    assert_eq!(back, p);
    let mut lenient = Recherche::default();
    for (k, v) in &pairs {
        assert_eq!(lenient.set(Param::from_name(k).unwrap(), v), None);
    }
    assert_eq!(lenient, p);
}

#[test]
fn each_value_follows_its_rule() {
    for (query, param) in [
        ("commune=35000x", "commune"),
        ("commune=", "commune"),
        ("publiee_depuis=", "publiee_depuis"),
        ("publiee_depuis=2", "publiee_depuis"),
        ("rayon=101", "rayon"),
        ("rayon=+5", "rayon"),
        ("types_contrat=CDI,XYZ", "types_contrat"),
        ("types_contrat=cdi", "types_contrat"),
        ("tri=loin", "tri"),
        ("par_page=51", "par_page"),
        ("page=0", "page"),
        ("q=a", "q"),
        ("q=a!,bb", "q"),
        ("q=aa,bb,cc,dd,ee,ff,gg,hh", "q"),
        ("metier=aide", "metier"),
        ("foo=1", "foo"),
        ("q=aa&q=bb", "q"),
    ] {
        assert_eq!(refused(query), (param.to_owned(), Refus::Forme), "{query}");
    }
}

/// Issue 15: `commune=&epci=&departement=` answered "« commune » est répété".
#[test]
fn empty_territories_are_named_as_empty() {
    let e = read("commune=&epci=&departement=").unwrap_err();
    assert_eq!(e.parametre, "commune");
    assert!(e.fr.contains("est vide") && e.en.contains("is empty"), "{e:?}");
}

#[test]
fn values_that_do_not_go_together_are_422() {
    for (query, param) in [
        ("commune=35238&departement=35", "departement"),
        ("epci=243500139&departement=35", "departement"),
        ("departement=35&rayon=10", "rayon"),
        ("rayon=10&epci=243500139", "rayon"),
        ("rayon=10", "rayon"),
        ("epci=243500139&commune=35238", "commune"),
        ("epci=243500139&tri=distance", "tri"),
        ("page=152&par_page=20", "page"),
    ] {
        assert_eq!(refused(query), (param.to_owned(), Refus::Sens), "{query}");
    }
    assert!(read("page=151&par_page=20").unwrap().check().is_ok());
    assert!(read("page=3001&par_page=1").unwrap().check().is_ok());
}

#[test]
fn keywords_are_cleaned_for_france_travail() {
    let r = read("q=aide-soignant(e), <b>nuit</b>").unwrap();
    assert_eq!(r.mots_cles().as_deref(), Some("aide-soignant e,b nuit /b"));
    assert_eq!(read("q=++").unwrap().mots_cles().as_deref(), Some("++"));
    assert_eq!(read("q=  ").unwrap().mots_cles(), None);
    assert_eq!(read("q=cœur,ÉTÉ").unwrap().mots_cles().as_deref(), Some("cœur,ÉTÉ"));
}

#[test]
fn the_lenient_reader_forgives_case_and_leaves_bad_values_alone() {
    let mut p = sample();
    assert!(p.set(Param::Rayon, "loin").is_some());
    p.set(Param::ParPage, "500");
    p.set(Param::Page, "-3");
    assert_eq!((p.zone.rayon(), p.par_page, p.page), (Some(20), 10, 2));
    p.set(Param::TypesContrat, " cdi, ,mis,xyz ");
    p.set(Param::Commune, " 2a004 ");
    assert_eq!(p.types_contrat, [TypeContrat::Cdi, TypeContrat::Mis]);
    assert_eq!(p.zone, Zone::Commune { code: "2A004".into(), rayon: 20 });
    p.set(Param::Rayon, "");
    assert_eq!(p.zone.rayon(), Some(RAYON_DEFAUT));
}

/// A territory is one of three, with a radius only around a commune: the strict reader refuses
/// the rest whatever the order, the lenient one keeps the last territory named.
#[test]
fn one_territory_with_a_radius_only_around_a_commune() {
    let commune = |code: &str, rayon| Zone::Commune { code: code.into(), rayon };
    assert_eq!(read("commune=35238").unwrap().zone, commune("35238", RAYON_DEFAUT));
    assert_eq!(read("rayon=30&commune=35238").unwrap().zone, commune("35238", 30));
    assert_eq!(read("rayon=30").unwrap().zone, Zone::DuSite { rayon: Some(30) });
    assert_eq!(read("").unwrap().zone, Zone::default());
    let e = read("departement=35&epci=243500139").unwrap_err();
    assert_eq!((e.parametre.as_str(), e.refus), ("epci", Refus::Sens));
    // A value that breaks its rule is told first (400), wherever it stands.
    for query in [
        "rayon=14&epci=243500139&page=0",
        "epci=243500139&rayon=14&page=0",
        "epci=243500139&departement=3x",
    ] {
        let e = read(query).unwrap_err();
        assert_eq!(e.refus, Refus::Forme, "{query}: {e:?}");
    }
    // The written form always carries a commune's radius, so that a search has one text.
    let p = Recherche { zone: commune("35238", RAYON_DEFAUT), ..Recherche::default() };
    assert_eq!(p.query(), "commune=35238&rayon=10&tri=pertinence&page=1&par_page=20");
    let p = Recherche { zone: Zone::Epci { code: "243500139".into() }, ..Recherche::default() };
    let keys: Vec<&str> = p.pairs().iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, ["epci", "tri", "page", "par_page"]);

    let mut p = read("commune=35238&rayon=30").unwrap();
    assert!(p.set(Param::Departement, "2a").is_none());
    assert_eq!(p.zone, Zone::Departement { code: "2A".into() });
    assert!(p.set(Param::Rayon, "20").is_some(), "no radius around a département");
    assert!(p.set(Param::Epci, "Rennes").is_some());
    assert_eq!(p.zone, Zone::Departement { code: "2A".into() }, "a wrong code changes nothing");
    assert!(p.set(Param::Commune, "35238").is_none());
    assert_eq!(p.zone, commune("35238", RAYON_DEFAUT));
    p.set(Param::Epci, "");
    assert_eq!(p.zone, commune("35238", RAYON_DEFAUT), "only the named territory is removed");
    p.set(Param::Commune, "");
    assert_eq!(p.zone, Zone::default());
}

#[test]
fn pages_up_to_a_page_cover_exactly_its_offers_in_few_requests() {
    let offsets = |p: &Recherche| {
        p.pages_up_to()
            .iter()
            .map(|r| ((r.page - 1) * r.par_page, r.page * r.par_page))
            .collect::<Vec<_>>()
    };
    let p = |page, par_page| Recherche { page, par_page, ..sample() };
    assert_eq!(offsets(&p(1, 20)), [(0, 20)]);
    assert_eq!(offsets(&p(2, 20)), [(0, 40)]);
    assert_eq!(offsets(&p(5, 20)), [(0, 40), (40, 80), (80, 100)]);
    assert_eq!(offsets(&p(4, 10)), [(0, 40)]);
    assert_eq!(offsets(&p(7, 10)), [(0, 50), (50, 60), (60, 70)]);
    assert_eq!(offsets(&p(3, 50)), [(0, 50), (50, 100), (100, 150)]);
    assert_eq!(offsets(&p(3, 30)), [(0, 30), (30, 60), (60, 90)]);
    let far = p(400, 20).pages_up_to();
    assert!(far.iter().all(|r| r.q == "aide-soignant" && r.start() <= DERNIER_DEBUT));
    assert_eq!(far.last().map(|r| (r.page, r.par_page)), Some((151, 20)));
}

#[test]
fn the_element_attributes_are_site_the_search_settings_and_the_display_ones() {
    let all: Vec<&str> = element_attributes().collect();
    assert_eq!(all.len(), 28);
    assert_eq!(all[..3], ["site", "mots-cles", "metier"]);
    for p in Param::ALL {
        assert_eq!(p.attribute().and_then(Param::from_attribute), p.attribute().map(|_| p));
    }
}

/// The patterns the document publishes are the rules the code applies: a value matches
/// its pattern exactly when it is read without error.
mod patterns {
    use super::*;
    use proptest::prelude::*;

    /// The characters a keyword keeps (France Travail's letters, digits and few symbols); every
    /// other character separates words. As a regular-expression class body (ECMA-262, Python and
    /// Rust read it alike).
    const GARDES: &str = "0-9A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u024F@#$%^&+./-";

    fn agrees(pattern: &str, param: Param, value: &str) -> Result<(), TestCaseError> {
        let re = regex::Regex::new(pattern).unwrap();
        let accepted = Recherche::default().read(param, value).is_ok();
        prop_assert_eq!(re.is_match(value), accepted, "{} = {:?}", param.name(), value);
        Ok(())
    }

    #[test]
    fn the_keyword_pattern_is_built_from_the_kept_characters() {
        let s = format!("[^,{GARDES}]");
        let a = format!("[{GARDES}]");
        let term = format!("{s}*(?:{a}{s}*{a}[^,]*)?");
        assert_eq!(MOTIF_Q, format!("^{term}(?:,{term}){{0,6}}$"));
    }

    proptest! {
        #[test]
        fn keywords(v in "[a-zé!( ,.-]{0,30}|\\PC{0,12}") {
            if v.chars().count() <= MAX_Q {
                agrees(MOTIF_Q, Param::Q, &v)?;
            }
        }

        #[test]
        fn codes(v in "[0-9AB2a-zJ]{0,10}|[0-9]{2,10}|\\PC{0,6}") {
            if !v.is_empty() {
                agrees(MOTIF_METIER, Param::Metier, &v)?;
                agrees(MOTIF_COMMUNE, Param::Commune, &v)?;
                agrees(MOTIF_EPCI, Param::Epci, &v)?;
                agrees(MOTIF_DEPARTEMENT, Param::Departement, &v)?;
            }
        }
    }
}

/// France Travail ORs `typeContrat` with `natureContrat`: the lenient reader never keeps both,
/// whichever comes last wins, so no deep link, attribute or form can ask for a union that
/// reads like an intersection.
#[test]
fn work_study_and_contract_types_replace_each_other() {
    let mut p = Recherche::default();
    p.set(Param::TypesContrat, "CDD,CDI");
    p.set(Param::Alternance, "TRUE");
    assert!(p.alternance && p.types_contrat.is_empty());
    assert!(p.check().is_ok());
    p.set(Param::TypesContrat, "cdd");
    assert!(!p.alternance && p.types_contrat == [TypeContrat::Cdd]);
    let keys: Vec<&str> = p.pairs().iter().map(|(k, _)| *k).collect();
    assert!(keys.contains(&"types_contrat") && !keys.contains(&"alternance"));
    // A contract list that names nothing known leaves work-study on.
    p.set(Param::Alternance, "true");
    p.set(Param::TypesContrat, "xyz");
    assert!(p.alternance && p.types_contrat.is_empty());
}

#[test]
fn the_filters_become_france_travails_parameters() {
    let up = |query: &str| -> Vec<(&'static str, String)> {
        read(query).unwrap().france_travail_filters()
    };
    let pairs = |list: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        list.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    assert_eq!(up("alternance=true"), pairs(&[("natureContrat", "E2,FS")]));
    assert_eq!(
        up("handi_engage=true&manque_candidats=true&origine=partenaires"),
        pairs(&[
            ("employeursHandiEngages", "true"),
            ("entreprisesAdaptees", "true"),
            ("offresManqueCandidats", "true"),
            ("origineOffre", "2"),
        ])
    );
    assert_eq!(
        up("heures_min=8&heures_max=24&salaire_min=2000&periode_salaire=mois&qualification=cadre"),
        pairs(&[
            ("dureeHebdoMin", "800"),
            ("dureeHebdoMax", "2400"),
            ("qualification", "9"),
            ("salaireMin", "2000"),
            ("periodeSalaire", "M"),
        ])
    );
    assert_eq!(up("experience=D"), pairs(&[("experienceExigence", "D")]));
    assert_eq!(
        up("experience=2&secteurs=86"),
        pairs(&[("experience", "2"), ("secteurActivite", "86")])
    );
    assert!(up("alternance=false&origine=toutes").is_empty());
}

#[test]
fn the_lenient_reader_keeps_known_sectors_and_forgives_case() {
    let mut p = Recherche::default();
    p.set(Param::Secteurs, " 86, 04 ,87,88");
    assert_eq!(p.secteurs, ["86", "87"]);
    p.set(Param::Qualification, "Cadre");
    p.set(Param::Experience, "d");
    p.set(Param::HandiEngage, "TRUE");
    assert_eq!(p.qualification, Some(Qualification::Cadre));
    assert_eq!(p.experience, Some(Experience::Debutant));
    assert!(p.handi_engage);
    assert_eq!(
        p.query(),
        "experience=D&qualification=cadre&secteurs=86%2C87&handi_engage=true&tri=pertinence&page=1&par_page=20"
    );
}

/// A plain page's form sends every list, the salary's period too when no amount is chosen: the
/// lenient reader leaves the period out rather than making the search a 422.
#[test]
fn a_period_without_an_amount_is_left_out_by_the_lenient_reader() {
    let mut p = Recherche::default();
    p.set(Param::SalaireMin, "");
    p.set(Param::PeriodeSalaire, "mois");
    assert_eq!((p.salaire_min, p.periode_salaire), (None, None));
    assert!(p.check().is_ok());
    p.set(Param::SalaireMin, "25000");
    p.set(Param::PeriodeSalaire, "an");
    assert_eq!(p.periode_salaire, Some(PeriodeSalaire::An));
    assert!(p.check().is_ok());
}
