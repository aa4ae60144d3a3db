//! Formatting of counts, distances and dates for people, per locale.
//!
//! Everything is pure and tested natively: numbers and relative dates for our two languages come
//! from the catalogue, without a date or number crate and without `Intl` (see [`number`]).

use emploi_types::api::{GenreTerritoire, OffreResume, SearchResponse};

use crate::api::encode;
use crate::i18n::{Lang, Texts};
use crate::params::{Param, Recherche, Zone};

/// A whole number in the locale's style: `3 150` in French (narrow no-break space), `3,150` in
/// English. Written here rather than with `Intl.NumberFormat`: building the first `Intl`
/// formatter loads the locale data, 17 ms of the first render in a profile of the
/// time-to-first-results page, for two fixed locales.
pub fn number(n: u32, lang: Lang) -> String {
    let separator = if lang == Lang::Fr { '\u{202F}' } else { ',' };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// The same search on the France Travail candidate site (what the widget offers when the
/// proxy or France Travail cannot answer). Filters are left out: the site's own are richer.
pub fn france_travail_search(p: &Recherche) -> String {
    let mut query = Vec::new();
    if let Some(q) = p.value(Param::Q) {
        query.push(format!("motsCles={}", encode(&q)));
    }
    match &p.zone {
        Zone::Commune { code, rayon } => {
            query.push(format!("lieux={}&rayon={rayon}", encode(code)))
        }
        Zone::Departement { code } => query.push(format!("lieux={}D", encode(code))),
        Zone::Epci { .. } | Zone::DuSite { .. } => {}
    }
    format!("https://candidat.francetravail.fr/offres/recherche?{}", query.join("&"))
}

/// `Aucune offre`, `1 offre`, `3 150 offres`.
pub fn count(texts: &Texts, lang: Lang, n: u32) -> String {
    match n {
        0 => texts.count_none.to_owned(),
        1 => texts.count_one.replace("{n}", "1"),
        n => texts.count_many.replace("{n}", &number(n, lang)),
    }
}

/// The live-region sentence: `124 offres à moins de 10 km de Rennes`.
pub fn summary(texts: &Texts, lang: Lang, response: &SearchResponse) -> String {
    let count = count(texts, lang, response.total);
    let place = match &response.territoire {
        Some(t) if t.genre == GenreTerritoire::Commune && t.rayon.unwrap_or(0) > 0 => texts
            .within
            .replace("{rayon}", &t.rayon.unwrap_or(0).to_string())
            .replace("{lieu}", &t.nom),
        Some(t) if t.genre == GenreTerritoire::Commune => texts.in_place.replace("{lieu}", &t.nom),
        Some(t) => texts.in_area.replace("{lieu}", &t.nom),
        None => String::new(),
    };
    format!("{count}{place}")
}

/// An offer's short facts, for cards, the print view and the feed: its contract, its working
/// time with its weekly hours, and its salary, those given.
pub fn offer_facts(o: &OffreResume, texts: &Texts, lang: Lang) -> Vec<String> {
    let contract = o.contrat.clone().unwrap_or_else(|| lang.contract(&o.type_contrat));
    let hours = o.minutes_hebdo.map(|m| {
        let h = match m % 60 {
            0 => format!("{} h", m / 60),
            min => format!("{} h {min:02}", m / 60),
        };
        texts.hours_week.replace("{n}", &h)
    });
    let time = match (o.temps_travail.clone(), hours) {
        (Some(t), Some(h)) => Some(format!("{t}, {h}")),
        (t, h) => t.or(h),
    };
    [Some(contract), time, o.salaire.clone()].into_iter().flatten().collect()
}

/// The texts of an offer's badges.
pub fn badges(o: &OffreResume, lang: Lang) -> Vec<&'static str> {
    o.badges
        .iter()
        .map(|b| {
            let (fr, en) = b.names();
            if lang == Lang::Fr { fr } else { en }
        })
        .collect()
}

/// A distance in km, with one decimal below 10 km.
pub fn distance(km: f64, texts: &Texts, lang: Lang) -> String {
    // Integer arithmetic: float formatting would add kilobytes to the bundle.
    let tenths = (km.max(0.0) * 10.0).round() as u32;
    let value = if tenths < 100 {
        let separator = if lang == Lang::Fr { ',' } else { '.' };
        format!("{}{separator}{}", tenths / 10, tenths % 10)
    } else {
        ((tenths + 5) / 10).to_string()
    };
    texts.km.replace("{n}", &value)
}

/// Milliseconds since the Unix epoch of an ISO 8601 date-time (`None` when it does not parse).
#[cfg(target_arch = "wasm32")]
fn epoch_ms(iso: &str) -> Option<f64> {
    let then = js_sys::Date::parse(iso);
    (!then.is_nan()).then_some(then)
}

/// Milliseconds since the Unix epoch of an ISO 8601 date-time (`None` when it does not parse).
/// The server renders first views with the same dates as the browser.
#[cfg(not(target_arch = "wasm32"))]
fn epoch_ms(iso: &str) -> Option<f64> {
    let format = time::format_description::well_known::Iso8601::DEFAULT;
    let then = time::OffsetDateTime::parse(iso, &format).ok()?;
    Some((then.unix_timestamp_nanos() / 1_000_000) as f64)
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    return std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
}

/// Whole days between an ISO date and now (0 for today or future dates).
pub fn days_ago(iso: &str, now_ms: f64) -> Option<u32> {
    let then = epoch_ms(iso)?;
    Some(((now_ms - then) / 86_400_000.0).max(0.0).floor() as u32)
}

/// `aujourd’hui`, `hier`, `il y a 3 jours`, `la semaine dernière`, `il y a 2 mois`... from the
/// catalogue (same reason as [`number`]: no `Intl` formatter on the first render).
pub fn relative_date(iso: &str, lang: Lang) -> String {
    let Some(days) = days_ago(iso, now_ms()) else { return String::new() };
    ago(days, lang.texts())
}

/// The relative-date text for a whole number of days ago.
pub fn ago(days: u32, texts: &Texts) -> String {
    let (one, many, n) = match days {
        0 => return texts.today.to_owned(),
        1 => return texts.yesterday.to_owned(),
        2..=6 => ("", texts.days_ago, days),
        7..=30 => (texts.last_week, texts.weeks_ago, days / 7),
        _ => (texts.last_month, texts.months_ago, days / 30),
    };
    if n == 1 { one.to_owned() } else { many.replace("{n}", &n.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Zone;
    use emploi_types::api::Territoire;

    fn response(total: u32, territoire: Option<Territoire>) -> SearchResponse {
        SearchResponse { total, territoire, ..SearchResponse::default() }
    }

    #[test]
    fn summary_reads_as_a_sentence() {
        let rennes = Territoire {
            genre: GenreTerritoire::Commune,
            code: "35238".into(),
            nom: "Rennes".into(),
            rayon: Some(10),
        };
        let fr = Lang::Fr.texts();
        assert_eq!(
            summary(fr, Lang::Fr, &response(124, Some(rennes.clone()))),
            "124 offres à moins de 10 km de Rennes"
        );
        assert_eq!(summary(fr, Lang::Fr, &response(1, None)), "1 offre");
        assert_eq!(summary(fr, Lang::Fr, &response(0, None)), "Aucune offre");
        let metropole = Territoire {
            genre: GenreTerritoire::Epci,
            code: "243500139".into(),
            nom: "Rennes Métropole".into(),
            rayon: None,
        };
        assert_eq!(
            summary(fr, Lang::Fr, &response(312, Some(metropole))),
            "312 offres sur le territoire : Rennes Métropole"
        );
        let zero = Territoire { rayon: Some(0), ..rennes };
        assert_eq!(
            summary(Lang::En.texts(), Lang::En, &response(3, Some(zero))),
            "3 offers in Rennes"
        );
    }

    #[test]
    fn the_same_search_on_france_travail_keeps_keywords_and_place() {
        let p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 20 },
            q: "aide soignant".into(),
            ..Recherche::default()
        };
        assert_eq!(
            france_travail_search(&p),
            "https://candidat.francetravail.fr/offres/recherche?motsCles=aide%20soignant&lieux=35238&rayon=20"
        );
        let zone = Zone::Departement { code: "35".into() };
        let dep = Recherche { zone, ..Recherche::default() };
        assert_eq!(
            france_travail_search(&dep),
            "https://candidat.francetravail.fr/offres/recherche?lieux=35D"
        );
    }

    #[test]
    fn numbers_and_relative_dates_read_naturally() {
        assert_eq!(number(3150, Lang::Fr), "3\u{202F}150");
        assert_eq!(number(1_234_567, Lang::En), "1,234,567");
        assert_eq!(number(999, Lang::Fr), "999");
        let (fr, en) = (Lang::Fr.texts(), Lang::En.texts());
        let said: Vec<String> = [0, 1, 3, 7, 16, 31, 95].iter().map(|d| ago(*d, fr)).collect();
        assert_eq!(
            said,
            [
                "aujourd’hui",
                "hier",
                "il y a 3 jours",
                "la semaine dernière",
                "il y a 2 semaines",
                "le mois dernier",
                "il y a 3 mois"
            ]
        );
        assert_eq!(ago(3, en), "3 days ago");
        assert_eq!(ago(40, en), "last month");
    }

    #[test]
    fn distances_use_the_locale_decimal_separator() {
        assert_eq!(distance(8.43, Lang::Fr.texts(), Lang::Fr), "8,4 km");
        assert_eq!(distance(8.43, Lang::En.texts(), Lang::En), "8.4 km");
        assert_eq!(distance(23.6, Lang::Fr.texts(), Lang::Fr), "24 km");
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// Paris' offset from UTC at `secs` (Unix seconds): summer time from the last Sunday of March
/// to the last Sunday of October, at 01:00 UTC both ways (the EU rule).
fn paris_offset(secs: i64) -> i64 {
    let (y, _, _) = civil_from_days(secs.div_euclid(86_400));
    let last_sunday = |m: i64| {
        let day = days_from_civil(y, m, 31);
        // 1970-01-01 was a Thursday (4, Sunday being 0).
        day - (day + 4).rem_euclid(7)
    };
    let starts = last_sunday(3) * 86_400 + 3_600;
    let ends = last_sunday(10) * 86_400 + 3_600;
    if (starts..ends).contains(&secs) { 7_200 } else { 3_600 }
}

/// An RFC 3339 UTC date-time (`2026-12-04T20:31:07Z`, what the proxy sends as `mis_a_jour`)
/// written out in Paris time: `4 décembre 2026 à 21 h 31`, `4 December 2026, 21:31`. The same
/// arithmetic on the server and in the browser, so that a first view hydrates unchanged.
pub fn update_date(rfc3339: &str, lang: Lang) -> Option<String> {
    let b = rfc3339.as_bytes();
    if b.len() != 20 || b[19] != b'Z' {
        return None;
    }
    let n = |from: usize, to: usize| rfc3339.get(from..to)?.parse::<i64>().ok();
    let (y, mo, d, h, mi) = (n(0, 4)?, n(5, 7)?, n(8, 10)?, n(11, 13)?, n(14, 16)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 {
        return None;
    }
    let utc = days_from_civil(y, mo, d) * 86_400 + h * 3_600 + mi * 60;
    let local = utc + paris_offset(utc);
    let (y, mo, d) = civil_from_days(local.div_euclid(86_400));
    let minutes = local.rem_euclid(86_400) / 60;
    let month = lang.texts().months[usize::try_from(mo - 1).ok()?];
    Some(match lang {
        Lang::Fr => format!("{d} {month} {y} à {} h {:02}", minutes / 60, minutes % 60),
        Lang::En => format!("{d} {month} {y}, {:02}:{:02}", minutes / 60, minutes % 60),
    })
}

/// An event's local start and end (`YYYY-MM-DDTHH:MM`, as the proxy gives them) written out:
/// `lundi 7 décembre 2026, 9 h 30 – 12 h 00`, `Monday 7 December 2026, 09:30–12:00`.
pub fn event_when(debut: &str, fin: &str, lang: Lang) -> Option<String> {
    let n = |s: &str, from: usize, to: usize| s.get(from..to)?.parse::<i64>().ok();
    let (y, mo, d) = (n(debut, 0, 4)?, n(debut, 5, 7)?, n(debut, 8, 10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (texts, panel_texts) = (lang.texts(), lang.panel_texts());
    // 1970-01-01 was a Thursday; weekdays are listed from Monday.
    let weekday = (days_from_civil(y, mo, d) + 3).rem_euclid(7);
    let weekday = panel_texts.weekdays[usize::try_from(weekday).ok()?];
    let month = texts.months[usize::try_from(mo - 1).ok()?];
    let time = |s: &str| -> Option<String> {
        let (h, mi) = (n(s, 11, 13)?, n(s, 14, 16)?);
        Some(match lang {
            Lang::Fr => format!("{h} h {mi:02}"),
            Lang::En => format!("{h:02}:{mi:02}"),
        })
    };
    let (start, end) = (time(debut)?, time(fin));
    let hours = match (end, lang) {
        (Some(end), Lang::Fr) => format!("{start} – {end}"),
        (Some(end), Lang::En) => format!("{start}–{end}"),
        (None, _) => start,
    };
    Some(format!("{weekday} {d} {month} {y}, {hours}"))
}

#[cfg(test)]
mod update_dates {
    use super::*;

    #[test]
    fn event_times_are_written_with_their_weekday() {
        assert_eq!(
            event_when("2026-12-07T09:30", "2026-12-07T12:00", Lang::Fr).as_deref(),
            Some("lundi 7 décembre 2026, 9 h 30 – 12 h 00")
        );
        assert_eq!(
            event_when("2027-01-01T14:00", "2027-01-01T16:30", Lang::En).as_deref(),
            Some("Friday 1 January 2027, 14:00–16:30")
        );
        assert_eq!(event_when("bientôt", "", Lang::Fr), None);
    }

    #[test]
    fn update_dates_are_written_in_paris_time() {
        // Winter: UTC+1.
        assert_eq!(
            update_date("2026-12-04T20:31:07Z", Lang::Fr).as_deref(),
            Some("4 décembre 2026 à 21 h 31")
        );
        // Summer: UTC+2, and across midnight.
        assert_eq!(
            update_date("2026-07-14T22:05:00Z", Lang::En).as_deref(),
            Some("15 July 2026, 00:05")
        );
        // The changes of 2026: 29 March and 25 October, at 01:00 UTC.
        assert_eq!(
            update_date("2026-03-29T00:59:00Z", Lang::Fr).as_deref(),
            Some("29 mars 2026 à 1 h 59")
        );
        assert_eq!(
            update_date("2026-03-29T01:00:00Z", Lang::Fr).as_deref(),
            Some("29 mars 2026 à 3 h 00")
        );
        assert_eq!(
            update_date("2026-10-25T00:59:00Z", Lang::Fr).as_deref(),
            Some("25 octobre 2026 à 2 h 59")
        );
        assert_eq!(
            update_date("2026-10-25T01:00:00Z", Lang::Fr).as_deref(),
            Some("25 octobre 2026 à 2 h 00")
        );
        assert_eq!(update_date("2026-12-04", Lang::Fr), None);
        assert_eq!(update_date("2026-13-04T20:31:07Z", Lang::Fr), None);
    }
}
