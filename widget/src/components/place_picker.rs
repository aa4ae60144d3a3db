//! The place field: a combobox (ARIA 1.2 pattern, list autocomplete) over the proxy's place
//! suggestions, showing the searched territory. Without it (`verrouiller-lieu`), the status
//! sentence still names the place.

use emploi_types::api::{GenreTerritoire, Lieu};
use leptos::prelude::*;

use super::combobox::{OptionList, Suggestions};
use crate::i18n::Texts;
use crate::params::{Recherche, Tri, Zone};
use crate::state::{ctx, search};

/// Id of the suggestion list.
const LIST_ID: &str = "oe-lieux";

/// What a suggestion says: `Rennes (35) · 35000`, `Rennes Métropole · intercommunalité`.
pub fn place_text(l: &Lieu, texts: &Texts) -> String {
    match l.genre {
        GenreTerritoire::Commune => {
            let dep = l.departement.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            let cp = l.code_postal.as_deref().map(|c| format!(" · {c}")).unwrap_or_default();
            format!("{}{dep}{cp}", l.nom)
        }
        GenreTerritoire::Epci => format!("{} · {}", l.nom, texts.epci),
        GenreTerritoire::Departement => format!("{} · {}", l.nom, texts.departement),
    }
}

/// The search moved to `place`: one territory, a radius only around a commune.
pub fn move_to(p: &mut Recherche, place: &Lieu) {
    // A commune keeps the radius searched so far.
    p.zone = Zone::new(place.genre, place.code.clone(), p.zone.rayon());
    if p.zone.commune().is_none() && p.tri == Tri::Distance {
        p.tri = Tri::Date;
    }
}

/// The place field.
#[component]
pub fn PlacePicker() -> AnyView {
    let (c, search) = (ctx(), search());
    let (texts, api) = (c.texts, StoredValue::new(c.api.clone()));
    let current = move || {
        search
            .response
            .with(|r| r.as_ref().and_then(|r| r.territoire.as_ref().map(|t| t.nom.clone())))
    };
    if c.plain() {
        // A plain page: a text field the page resolves to the best-matching place.
        return view! {
            <div class="oe-place">
                <label class="oe-label" for="oe-lieu">{texts.place_label}</label>
                <input
                    id="oe-lieu"
                    class="oe-input"
                    type="text"
                    name="lieu"
                    maxlength="80"
                    placeholder=texts.place_hint
                    value=current().unwrap_or_default()
                />
            </div>
        }
        .into_any();
    }
    let text = RwSignal::new(current().unwrap_or_default());
    let places = Suggestions::<Lieu>::new();
    let editing = RwSignal::new(false);
    // The field shows the searched place whenever the resident is not typing (not at the first
    // run: it already does, or the resident typed before the module took over).
    Effect::new(move |first: Option<()>| {
        if let Some(name) = current()
            && first.is_some()
            && !editing.get_untracked()
        {
            text.set(name);
        }
    });
    let choose = Callback::new(move |i: usize| {
        let Some(place) = places.get(i) else { return };
        editing.set(false);
        places.close();
        text.set(place.nom.clone());
        search.apply(|p| move_to(p, &place));
    });
    let options = Signal::derive(move || {
        places.items.with(|all| all.iter().map(|p| place_text(p, texts)).collect::<Vec<_>>())
    });
    view! {
        <div class="oe-place">
            <label class="oe-label" for="oe-lieu">{texts.place_label}</label>
            <input
                id="oe-lieu"
                class="oe-input"
                type="text"
                role="combobox"
                autocomplete="off"
                maxlength="80"
                aria-autocomplete="list"
                aria-controls=LIST_ID
                aria-expanded=move || places.expanded().to_string()
                aria-activedescendant=move || places.active.get().map(|i| format!("oe-lieu-{i}"))
                placeholder=texts.place_hint
                value=text.get_untracked()
                prop:value=move || text.get()
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    editing.set(true);
                    text.set(q.clone());
                    let api = api.get_value();
                    places.lookup(q, move |q| async move { api.places(&q).await.unwrap_or_default() });
                }
                on:keydown=move |ev| {
                    if let Some(i) = places.key(&ev, true) {
                        choose.run(i);
                    }
                }
                on:blur=move |_| {
                    editing.set(false);
                    places.close();
                    if let Some(name) = current() {
                        text.set(name);
                    }
                }
            />
            <OptionList
                id=LIST_ID
                option_id="oe-lieu"
                label=texts.places
                options=options
                active=places.active
                choose=choose
            />
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    #[allow(unused_imports, reason = "the fixtures name what they need")]
    use crate::params::{Tri, Zone};

    fn place(genre: GenreTerritoire, code: &str, nom: &str) -> Lieu {
        Lieu {
            genre,
            code: code.into(),
            nom: nom.into(),
            departement: Some("35".into()),
            code_postal: Some("35400".into()),
            population: 1,
        }
    }

    #[test]
    fn suggestions_say_what_kind_of_place_they_are() {
        let texts = Lang::Fr.texts();
        assert_eq!(
            place_text(&place(GenreTerritoire::Commune, "35288", "Saint-Malo"), texts),
            "Saint-Malo (35) · 35400"
        );
        assert_eq!(
            place_text(&place(GenreTerritoire::Epci, "243500139", "Rennes Métropole"), texts),
            "Rennes Métropole · intercommunalité"
        );
    }

    #[test]
    fn moving_keeps_the_radius_around_communes_only() {
        let mut p = Recherche {
            zone: Zone::Commune { code: "35238".into(), rayon: 20 },
            tri: Tri::Distance,
            ..Recherche::default()
        };
        move_to(&mut p, &place(GenreTerritoire::Commune, "35288", "Saint-Malo"));
        assert_eq!(p.zone, Zone::Commune { code: "35288".into(), rayon: 20 });
        move_to(&mut p, &place(GenreTerritoire::Epci, "243500139", "Rennes Métropole"));
        assert_eq!(p.zone, Zone::Epci { code: "243500139".into() });
        assert_eq!(p.tri, Tri::Date);
        move_to(&mut p, &place(GenreTerritoire::Commune, "35238", "Rennes"));
        assert_eq!(p.zone.rayon(), Some(10));
    }
}
