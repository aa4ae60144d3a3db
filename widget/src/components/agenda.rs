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
use crate::panel::{Panels, follow, typed};
use crate::state::{ctx, search};

/// Where an event takes place, as a line.
pub fn place(e: &EvenementResume, panel_texts: &crate::i18n::PanelTexts) -> String {
    let town = format!("{} {}", e.code_postal, e.ville).trim().to_owned();
    let on_site = match &e.lieu {
        Some(lieu) if !lieu.is_empty() => format!("{lieu}, {town}"),
        _ => town,
    };
    match (e.sur_place, e.en_ligne) {
        (true, true) => format!("{on_site} · {}", panel_texts.events_both),
        (false, true) => panel_texts.events_online.to_owned(),
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
    let lang = ctx().lang;
    let panel_texts = lang.panel_texts();
    let when = when(&e, lang);
    let mut meta = vec![e.genre.clone()];
    if let Some(by) = &e.organisateur {
        meta.push(format!("{} {by}", panel_texts.events_by));
    }
    if let Some(n) = e.places_restantes {
        meta.push(panel_texts.events_places.replace("{n}", &format::number(n, lang)));
    }
    let where_ = place(&e, panel_texts);
    let named = format!(" : {}", e.titre);
    view! {
        <li class="oe-event" part="event" data-testid="event">
            <Heading depth=3 class="oe-event__title">{e.titre.clone()}</Heading>
            <p class="oe-event__when"><time datetime=e.debut.clone()>{when}</time></p>
            <p class="oe-event__where">{where_}</p>
            <p class="oe-event__meta">{meta.join(" · ")}</p>
            <p class="oe-event__links">
                <a class="oe-event__register" href=e.inscription.clone() target="_blank" rel="noopener">
                    {panel_texts.events_register}<span class="oe-sr">{named.clone()}</span>
                </a>
                <a class="oe-event__ics" href=calendar download=format!("evenement-{}.ics", e.id)>
                    {panel_texts.events_add}<span class="oe-sr">{named}</span>
                </a>
            </p>
        </li>
    }
}

/// The list of `list`, with its feed link and its source.
pub fn agenda(list: Evenements) -> impl IntoView {
    let (c, lang) = (ctx(), ctx().lang);
    let (texts, panel_texts) = (c.texts, lang.panel_texts());
    let p = search().params.get_untracked();
    let place = list.territoire.as_ref().map(|t| format!(" · {}", t.nom)).unwrap_or_default();
    let feed = c.api.calendar_url(&p, None);
    let poster = c.pages.events_poster(&p);
    let empty = list
        .evenements
        .is_empty()
        .then(|| view! { <p class="oe-events__none">{panel_texts.events_none}</p> });
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
        Some(d) => {
            format!("{} {}.", panel_texts.events_source, texts.updated_on.replace("{date}", &d))
        }
        None => panel_texts.events_source.to_owned(),
    };
    view! {
        <Heading depth=2 class="oe-events__title" id="oe-events-title">{panel_texts.events_title}{place}</Heading>
        {empty}
        <ul class="oe-events__list">{items}</ul>
        <p class="oe-events__feed">
            <a href=feed data-testid="events-feed">{panel_texts.events_subscribe}</a>
            " · "
            <a href=poster target="_blank" data-testid="events-poster">{panel_texts.events_poster}</a>
        </p>
        <p class="oe-events__source">{source}</p>
    }
}

crate::split::part!(
    /// The events panel, with its request, the decoding of its answer and its view: loaded
    /// before the module takes over from a first view that shows it (`prepare` in main.rs),
    /// else when the widget mounts (see [`crate::panel::lazy`]); in the module itself on the
    /// server.
    PANEL,
    agenda,
    fn(Panels) -> AnyView,
    |first| view! { <AgendaPanel first /> }.into_any()
);

/// The events panel, fetched again when the territory changes.
#[component]
fn AgendaPanel(
    /// The answers the proxy found for the first view.
    first: Panels,
) -> impl IntoView {
    let (c, search) = (ctx(), search());
    let api = StoredValue::new(c.api);
    let url = Memo::new(move |_| search.params.with(|p| api.with_value(|a| a.events_url(p))));
    let list = follow(first.evenements, url, move |p| {
        let api = api.get_value();
        // Not offered, or France Travail down with nothing cached: no panel.
        async move { api.events(&p).await.ok() }
    });
    view! {
        <section
            class="oe-events"
            part="events"
            aria-labelledby="oe-events-title"
            data-testid="events"
            hidden=move || list.with(Option::is_none)
        >
            {move || list.get().and_then(typed).map(|list| agenda(list).into_any())}
        </section>
    }
}
