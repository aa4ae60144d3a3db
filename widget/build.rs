//! Minifies the stylesheet that the widget embeds: comments and layout whitespace are bytes on
//! every host page. Deliberately simple, for our own CSS: it drops comments, collapses runs of
//! whitespace, and removes the spaces around `{`, `}`, `;`, `,` and after `:` (never around `+`
//! or `-`, which `calc()` needs).

use std::path::PathBuf;

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let glued =
            out.ends_with(['{', '}', ';', ',', ':']) || word.starts_with(['{', '}', ';', ',']);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(";}", "}")
}

fn main() {
    let source = "style/widget.css";
    println!("cargo::rerun-if-changed={source}");
    let css = std::fs::read_to_string(source).expect("widget/style/widget.css is readable");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("widget.min.css"), minify(&css)).expect("OUT_DIR is writable");
}
