//! Finds the migrations: `migrations/NNNN_what_it_does.sql`, each written once for both
//! backends (app/src/server/db.rs renders it). Adding a migration is adding a file; versions run
//! 1, 2, 3… with no gap or repeat, or the build stops here rather than a server at start-up.
use std::path::Path;

fn main() {
    // Only the server runs migrations: the browser's build has nothing to find.
    if std::env::var_os("CARGO_FEATURE_SSR").is_none() {
        println!("cargo:rerun-if-changed=build.rs");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    // A folder: Cargo looks at every file in it, so a new migration rebuilds the list.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the migrations folder") {
        let path = entry.expect("a migrations entry").path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()).map(str::to_string) else { continue };
        let Some(stem) = file.strip_suffix(".sql") else { continue };
        let version = stem
            .split_once('_')
            .filter(|(n, name)| n.len() == 4 && !name.is_empty())
            .and_then(|(n, _)| n.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("migrations/{file}: name it NNNN_what_it_does.sql"));
        let description = stem[5..].replace('_', " ");
        found.push((version, description, path.canonicalize().expect("a migration's path")));
    }
    found.sort();
    for (i, (version, ..)) in found.iter().enumerate() {
        assert_eq!(*version, i as i64 + 1, "migrations: version {} is missing or there twice", i + 1);
    }
    let mut out = String::from("/// Every migration as written (version, description, SQL with placeholders), in order.\npub const MIGRATIONS: &[(i64, &str, &str)] = &[\n");
    for (version, description, path) in &found {
        out.push_str(&format!("    ({version}, {description:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs");
    std::fs::write(target, out).expect("writing the migration list");
}
