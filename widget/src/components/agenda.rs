//! The territory's coming job events (`evenements` attribute): job datings, forums and
//! information meetings from France Travail's *Mes événements emploi*, each with its date and
//! time in its own zone, its place or "en ligne", its organiser, a registration link and an
//! `.ics` file to add it to a calendar; the whole list is also an iCalendar feed.
//!
//! In the browser its view is a chunk of its own ([`VIEW`]), so that widgets without events do
//! not carry it. When the proxy cannot offer events (its application is not subscribed), or
//! France Travail fails with nothing cached, the panel is simply absent.

use emploi_types::api::{EvenementResume, Evenements};
use leptos::prelude::*;

use super::heading::Heading;
use crate::format;
use crate::state::{ctx, search};

/// Where an event takes place, as a line.
pub fn place(e: &EvenementResume, texts: &crate::i18n::Texts) -> String {
    let town = format!("{} {}", e.code_postal, e.ville).trim().to_owned();
    let on_site = match &e.lieu {
        Some(lieu) if !lieu.is_empty() => format!("{lieu}, {town}"),
        _ => town,
    };
    match (e.sur_place, e.en_ligne) {
        (true, true) => format!("{on_site} · {}", texts.events_both),
        (false, true) => texts.events_online.to_owned(),
        _ => on_site,
    }
}

/// When an event takes place, written out (its local start as given when it does not read).
pub fn when(e: &EvenementResume, lang: crate::i18n::Lang) -> String {
    format::event_when(&e.debut_local, &e.fin_local, lang)
        .unwrap_or_else(|| e.debut_local.replace('T', " "))
}

/// One event.
fn item(e: EvenementResume, calendar: String) -> impl IntoView {
    let (texts, lang) = (ctx().texts, ctx().lang);
    let when = when(&e, lang);
    let mut meta = vec![e.genre.clone()];
    if let Some(by) = &e.organisateur {
        meta.push(format!("{} {by}", texts.events_by));
    }
    if let Some(n) = e.places_restantes {
        meta.push(texts.events_places.replace("{n}", &format::number(n, lang)));
    }
    let where_ = place(&e, texts);
    let named = format!(" : {}", e.titre);
    view! {
        <li class="oe-event" part="event" data-testid="event">
            <Heading depth=3 class="oe-event__title">{e.titre.clone()}</Heading>
            <p class="oe-event__when"><time datetime=e.debut.clone()>{when}</time></p>
            <p class="oe-event__where">{where_}</p>
            <p class="oe-event__meta">{meta.join(" · ")}</p>
            <p class="oe-event__links">
                <a class="oe-event__register" href=e.inscription.clone() target="_blank" rel="noopener">
                    {texts.events_register}<span class="oe-sr">{named.clone()}</span>
                </a>
                <a class="oe-event__ics" href=calendar download=format!("evenement-{}.ics", e.id)>
                    {texts.events_add}<span class="oe-sr">{named}</span>
                </a>
            </p>
        </li>
    }
}

/// The list of `list`, with its feed link and its source.
pub fn agenda(list: Evenements) -> impl IntoView {
    let (c, lang) = (ctx(), ctx().lang);
    let texts = c.texts;
    let p = search().params.get_untracked();
    let place = list.territoire.as_ref().map(|t| format!(" · {}", t.nom)).unwrap_or_default();
    let feed = c.api.calendar_url(&p, None);
    let poster = c.pages.events_poster(&p);
    let empty = list
        .evenements
        .is_empty()
        .then(|| view! { <p class="oe-events__none">{texts.events_none}</p> });
    let items = list
        .evenements
        .into_iter()
        .map(|e| {
            let ics = c.api.calendar_url(&p, Some(e.id));
            item(e, ics)
        })
        .collect_view();
    let updated = list.mis_a_jour.as_deref().and_then(|d| format::update_date(d, lang));
    let source = match updated {
        Some(d) => format!("{} {}.", texts.events_source, texts.updated_on.replace("{date}", &d)),
        None => texts.events_source.to_owned(),
    };
    view! {
        <Heading depth=2 class="oe-events__title" id="oe-events-title">{texts.events_title}{place}</Heading>
        {empty}
        <ul class="oe-events__list">{items}</ul>
        <p class="oe-events__feed">
            <a href=feed data-testid="events-feed">{texts.events_subscribe}</a>
            " · "
            <a href=poster target="_blank" data-testid="events-poster">{texts.events_poster}</a>
        </p>
        <p class="oe-events__source">{source}</p>
    }
}

/// The list's view: in the browser, once [`VIEW`] is loaded.
fn view_of(list: Evenements) -> Option<AnyView> {
    #[cfg(feature = "csr")]
    return VIEW.get().map(|view| view(list));
    #[cfg(not(feature = "csr"))]
    Some(agenda(list).into_any())
}

#[cfg(feature = "csr")]
crate::split::part!(
    /// The list's view, loaded before the module takes over from a first view that shows one,
    /// or with the first list fetched.
    VIEW,
    agenda,
    fn(Evenements) -> AnyView,
    |list| agenda(list).into_any()
);

/// The events panel, fetched again when the territory changes.
#[component]
pub fn AgendaPanel(
    /// The events the proxy found for the first view.
    first: Option<Evenements>,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let api = StoredValue::new(c.api);
    #[cfg(feature = "csr")]
    let first = first.filter(|_| VIEW.get().is_some());
    let list = RwSignal::new(first);
    let url = Memo::new(move |_| search.params.with(|p| api.with_value(|a| a.events_url(p))));
    #[cfg(feature = "csr")]
    {
        let had_first = list.with_untracked(Option::is_some);
        Effect::new(move |previous: Option<String>| {
            let wanted = url.get();
            if previous.is_some() || !had_first {
                let (api, p) = (api.get_value(), search.params.get_untracked());
                let mine = wanted.clone();
                leptos::task::spawn_local(async move {
                    // Not offered, or France Travail down with nothing cached: no panel.
                    let mut answer = api.events(&p).await.ok();
                    if answer.is_some() && VIEW.load().await.is_none() {
                        answer = None;
                    }
                    if url.try_get_untracked().as_ref() == Some(&mine) {
                        list.try_set(answer);
                    }
                });
            }
            wanted
        });
    }
    #[cfg(not(feature = "csr"))]
    let _ = url;
    view! {
        <section
            class="oe-events"
            part="events"
            aria-labelledby="oe-events-title"
            data-testid="events"
            hidden=move || list.with(Option::is_none)
        >
            {move || list.get().and_then(view_of)}
        </section>
    }
}
