//! Compresses the embedded referential (6.6 MB of JSON) at build time. The binary then carries
//! about a fifth of that, and a running proxy keeps only the parsed data resident: the JSON is
//! inflated into a temporary buffer at load and freed.

use std::io::Write;
use std::path::PathBuf;

const FILES: [&str; 6] =
    ["communes", "arrondissements-municipaux", "epci", "departements", "regions", "rome"];

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in FILES {
        let source = format!("data/{name}.json");
        println!("cargo::rerun-if-changed={source}");
        let json = std::fs::read(&source).expect("the referential data is readable");
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&json).expect("compression in memory");
        let compressed = encoder.finish().expect("compression in memory");
        std::fs::write(out.join(format!("{name}.json.deflate")), compressed)
            .expect("OUT_DIR is writable");
    }
}
