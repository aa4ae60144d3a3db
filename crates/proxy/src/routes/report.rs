//! `GET /rapport?site=<key>` and `/rapport.csv?site=<key>`: a site's usage report, for the town
//! hall, behind the site's report secret ([`crate::gate::Gate::Report`]).
//!
//! The page reads without JavaScript: a bar chart (SVG, described, with the table as its
//! alternative), the table by month with its total, a CSV of the same rows, French or English
//! (`lang=en`, or the browser's language). Nothing personal is counted.

use axum::Extension;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::AppState;
use crate::error::{AppError, Lang};
use crate::metrics::Action;
use crate::service::report::{Report, report};
use crate::sites::Site;

/// The report's routes, behind the gate.
pub fn routes(state: &AppState) -> Router<AppState> {
    let report = Router::new().route("/rapport", get(page)).route("/rapport.csv", get(csv));
    super::gated(report, state, crate::gate::Gate::Report)
}

/// The page's language: its `lang` parameter when it names one, else the browser's.
fn language(query: Option<&str>, headers: &HeaderMap) -> Lang {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| emploi_widget::i18n::Lang::parse(&v))
        .map_or_else(|| Lang::from_headers(headers), Lang::from)
}

async fn page(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = language(query.as_deref(), &headers);
    match report(&state, &site).await {
        Ok(report) => private(StatusCode::OK, "text/html; charset=utf-8", html(&report, lang)),
        Err(e) => error_page(lang, &e),
    }
}

async fn csv(
    State(state): State<AppState>,
    Extension(site): Extension<Arc<Site>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = language(query.as_deref(), &headers);
    let report = match report(&state, &site).await {
        Ok(report) => report,
        Err(e) => return error_page(lang, &e),
    };
    let mut response = private(StatusCode::OK, "text/csv; charset=utf-8", csv_text(&report, lang));
    let name = format!("attachment; filename=\"rapport-{}.csv\"", report.site);
    if let Ok(value) = HeaderValue::from_str(&name) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The gate's refusal as a page, in the page's language: 401 asks the browser for the report
/// password.
pub fn refused(query: Option<&str>, headers: &HeaderMap, error: &AppError) -> Response {
    let lang = language(query, headers);
    let mut response = error_page(lang, error);
    if matches!(error, AppError::Unauthorized(_)) {
        let realm = match lang {
            Lang::Fr => "Basic realm=\"Rapport d'usage\", charset=\"UTF-8\"",
            Lang::En => "Basic realm=\"Usage report\", charset=\"UTF-8\"",
        };
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(realm));
    }
    response
}

fn error_page(lang: Lang, error: &AppError) -> Response {
    let message = error.envelope(lang).message;
    let title = text(lang, "Rapport d'usage", "Usage report");
    let body = format!("<main><h1>{title}</h1><p role=\"alert\">{}</p></main>", escape(&message));
    let mut response =
        private(error.status(), "text/html; charset=utf-8", document(lang, title, &body));
    response.extensions_mut().insert(error.clone());
    response
}

/// A response nobody caches or indexes, with a policy that lets the page do nothing but show.
fn private(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    response
}

fn text(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

/// Each action's column title.
fn label(action: Action, lang: Lang) -> &'static str {
    match action {
        Action::Search => text(lang, "Recherches", "Searches"),
        Action::Offer => text(lang, "Offres ouvertes", "Offers opened"),
        Action::Apply => text(lang, "Clics « Postuler »", "\"Postuler\" clicks"),
        Action::Feed => text(lang, "Lectures du flux", "Feed reads"),
        Action::Page => text(lang, "Pages sans JavaScript", "Pages without JavaScript"),
        Action::Calendar => text(lang, "Agendas d'événements lus", "Event calendars read"),
    }
}

/// Each action's colour in the chart: contrast of 3:1 at least on white (RGAA 3.3).
fn colour(action: Action) -> &'static str {
    match action {
        Action::Search => "#1f4e79",
        Action::Offer => "#b03a2e",
        Action::Apply => "#1e6b30",
        Action::Feed => "#6f3a8c",
        Action::Page => "#7a5200",
        Action::Calendar => "#00676b",
    }
}

/// `2026-11` as `novembre 2026` or `November 2026`, in the widget's words.
fn month_name(month: &str, lang: Lang) -> String {
    let widget = match lang {
        Lang::Fr => emploi_widget::i18n::Lang::Fr,
        Lang::En => emploi_widget::i18n::Lang::En,
    };
    let parsed = month.split_once('-').and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)));
    match parsed {
        Some((year, m @ 1..=12)) => format!("{} {year}", widget.texts().months[m - 1]),
        _ => month.to_owned(),
    }
}

fn escape(value: &str) -> String {
    html_escape::encode_double_quoted_attribute(value).into_owned()
}

fn document(lang: Lang, title: &str, body: &str) -> String {
    let code = text(lang, "fr", "en");
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        escape(title)
    )
}

const STYLE: &str = "body{font:1rem/1.5 system-ui,sans-serif;color:#1b1b1b;margin:0 auto;max-width:60rem;padding:1rem}\
h1{font-size:1.6rem}table{border-collapse:collapse;width:100%;margin:1rem 0}\
th,td{border:1px solid #767676;padding:.35rem .5rem;text-align:right}th[scope=row],thead th:first-child{text-align:left}\
caption{text-align:left;font-weight:600;padding:.5rem 0}svg{max-width:100%;height:auto}\
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\
.legend span{display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;vertical-align:-.1rem}\
a{color:#0b4f8a}a:focus{outline:3px solid #0b4f8a;outline-offset:2px}";

fn html(report: &Report, lang: Lang) -> String {
    let who = report.name.as_deref().unwrap_or(&report.site);
    let title = match lang {
        Lang::Fr => format!("Rapport d'usage – {who}"),
        Lang::En => format!("Usage report – {who}"),
    };
    let mut body = format!("<header><h1>{}</h1>", escape(&title));
    body.push_str(text(
        lang,
        "<p>Ce que les habitants ont fait avec le widget d'offres d'emploi de ce site, mois par mois (mois en temps universel). Rien de personnel n'est compté : ni adresse, ni recherche tapée, seulement ces nombres.</p>",
        "<p>What residents did with this site's job-offer widget, month by month (months in universal time). Nothing personal is counted: no address, no search typed, only these numbers.</p>",
    ));
    let key = escape(&report.site);
    let (other, other_name) = match lang {
        Lang::Fr => ("en", "<span lang=\"en\">English version</span>"),
        Lang::En => ("fr", "<span lang=\"fr\">Version française</span>"),
    };
    let _ = write!(
        body,
        "<p><a href=\"rapport.csv?site={key}&amp;lang={}\" download>{}</a> · <a href=\"rapport?site={key}&amp;lang={other}\">{other_name}</a></p></header><main>",
        text(lang, "fr", "en"),
        text(lang, "Télécharger ces chiffres (CSV)", "Download these figures (CSV)"),
    );
    if report.months.is_empty() {
        body.push_str(text(
            lang,
            "<p>Aucune utilisation n'est encore comptée pour ce site.</p>",
            "<p>No use has been counted for this site yet.</p>",
        ));
    } else {
        body.push_str(&chart(report, lang));
        body.push_str(&table(report, lang));
    }
    body.push_str("</main>");
    document(lang, &title, &body)
}

/// The last 12 months as grouped bars, one colour per action, described for screen readers;
/// the table that follows is its alternative.
fn chart(report: &Report, lang: Lang) -> String {
    let months = &report.months[report.months.len().saturating_sub(12)..];
    let max = months.iter().flat_map(|(_, c)| c.iter()).copied().max().unwrap_or(0).max(1);
    let (width, height, left, bottom, top) = (640.0_f64, 260.0_f64, 48.0, 40.0, 12.0);
    let plot = height - bottom - top;
    let group = (width - left) / months.len() as f64;
    let bar = (group * 0.8) / Action::ALL.len() as f64;
    let mut svg = String::new();
    let summary: Vec<String> = months
        .iter()
        .map(|(m, c)| format!("{}{}{}", month_name(m, lang), text(lang, " : ", ": "), c[0]))
        .collect();
    let _ = write!(
        svg,
        "<figure><svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{} {}. {}</desc>",
        text(lang, "Utilisation par mois", "Use by month"),
        text(lang, "Recherches par mois :", "Searches by month:"),
        escape(&summary.join(", ")),
        text(
            lang,
            "Toutes les valeurs sont dans le tableau qui suit.",
            "Every value is in the table that follows."
        ),
    );
    // Axis and the top value.
    let base = height - bottom;
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{width}\" y2=\"{base}\" stroke=\"#767676\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1b1b\">{max}</text><text x=\"{}\" y=\"{base}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1b1b\">0</text>",
        left - 6.0,
        top + 10.0,
        left - 6.0,
    );
    for (i, (month, counts)) in months.iter().enumerate() {
        let x0 = left + group * i as f64 + group * 0.1;
        for (j, action) in Action::ALL.iter().enumerate() {
            let h = plot * counts[j] as f64 / max as f64;
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
                x0 + bar * j as f64,
                base - h,
                bar * 0.9,
                colour(*action),
            );
        }
        let short = month_name(month, lang);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1b1b\">{}</text>",
            x0 + group * 0.4,
            base + 16.0,
            escape(short.get(..3).unwrap_or(&short)),
        );
        let year = month.get(..4).unwrap_or("");
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1b1b1b\">{year}</text>",
            x0 + group * 0.4,
            base + 30.0,
        );
    }
    svg.push_str("</svg><figcaption><ul class=\"legend\">");
    for action in Action::ALL {
        let _ = write!(
            svg,
            "<li><span style=\"background:{}\"></span>{}</li>",
            colour(action),
            escape(label(action, lang))
        );
    }
    svg.push_str("</ul></figcaption></figure>");
    svg
}

fn table(report: &Report, lang: Lang) -> String {
    let mut out = format!(
        "<table><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        text(lang, "Utilisation par mois", "Use by month"),
        text(lang, "Mois", "Month"),
    );
    for action in Action::ALL {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(label(action, lang)));
    }
    out.push_str("</tr></thead><tbody>");
    for (month, counts) in &report.months {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th>",
            escape(month),
            escape(&month_name(month, lang))
        );
        for n in counts {
            let _ = write!(out, "<td>{n}</td>");
        }
        out.push_str("</tr>");
    }
    let _ =
        write!(out, "</tbody><tfoot><tr><th scope=\"row\">{}</th>", text(lang, "Total", "Total"));
    for n in report.total {
        let _ = write!(out, "<td>{n}</td>");
    }
    out.push_str("</tr></tfoot></table>");
    out
}

/// The table's rows as CSV (RFC 4180): a header, one row per month (`YYYY-MM`), the total.
fn csv_text(report: &Report, lang: Lang) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = quote(text(lang, "Mois", "Month"));
    for action in Action::ALL {
        out.push(',');
        out.push_str(&quote(label(action, lang)));
    }
    out.push_str("\r\n");
    let rows = report.months.iter().map(|(m, c)| (m.as_str(), c));
    for (month, counts) in
        rows.chain(std::iter::once((text(lang, "Total", "Total"), &report.total)))
    {
        out.push_str(&quote(month));
        for n in counts {
            let _ = write!(out, ",{n}");
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        Report {
            site: "ville".into(),
            name: Some("Mairie <de> Ville".into()),
            months: vec![
                ("2026-11".into(), [3, 2, 1, 0, 4, 2]),
                ("2026-12".into(), [5, 0, 0, 1, 0, 0]),
            ],
            total: [8, 2, 1, 1, 4, 2],
        }
    }

    #[test]
    fn the_csv_holds_the_table_rows() {
        let csv = csv_text(&sample(), Lang::Fr);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "\"Mois\",\"Recherches\",\"Offres ouvertes\",\"Clics « Postuler »\",\"Lectures du flux\",\"Pages sans JavaScript\",\"Agendas d'événements lus\""
        );
        assert_eq!(
            lines[1..4],
            ["\"2026-11\",3,2,1,0,4,2", "\"2026-12\",5,0,0,1,0,0", "\"Total\",8,2,1,1,4,2"]
        );
        let en = csv_text(&sample(), Lang::En);
        assert!(en.starts_with("\"Month\",\"Searches\""), "{en}");
        assert!(en.contains("\"\"\"Postuler\"\" clicks\""), "quotes doubled: {en}");
    }

    #[test]
    fn the_page_escapes_the_name_and_says_the_months() {
        let page = html(&sample(), Lang::Fr);
        assert!(page.contains("Mairie &lt;de&gt; Ville"), "{page}");
        assert!(page.contains("<time datetime=\"2026-11\">novembre 2026</time>"), "{page}");
        assert!(page.contains("aria-labelledby=\"chart-title chart-desc\""));
        let en = html(&sample(), Lang::En);
        assert!(en.contains("<html lang=\"en\">") && en.contains("December 2026"), "{en}");
        let empty = Report { months: vec![], total: [0; 6], ..sample() };
        assert!(html(&empty, Lang::Fr).contains("Aucune utilisation"));
    }
}
