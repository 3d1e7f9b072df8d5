//! Where the facade crate is, as the user's crate names it: `::scalr_endpoints` unless the
//! dependency was renamed in Cargo.toml.

use std::ffi::OsString;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use proc_macro_crate::{FoundCrate, crate_name};

/// Where generated code finds the facade crate.
pub enum Facade {
    /// `::name`, the crate as the user's manifest names it: written at the call site.
    Named(String),
    /// The path given with `crate = ...`, as the user's tokens.
    Given(syn::Path),
}

/// The facade as the crate being compiled names it; `crate = ...` in the attribute overrides it.
pub fn facade() -> Facade {
    Facade::Named(facade_name())
}

/// The facade's name in the crate being compiled, looked up once per crate: every action of the
/// crate needs it, and the lookup reads manifests. The key is the crate's directory, since one
/// process (rust-analyzer's macro server) may expand the macro for several crates.
fn facade_name() -> String {
    static LAST: Mutex<Option<(Option<OsString>, String)>> = Mutex::new(None);
    let dir = std::env::var_os("CARGO_MANIFEST_DIR");
    let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((cached_dir, name)) = &*last
        && *cached_dir == dir
    {
        return name.clone();
    }
    let renamable = dir.as_ref().is_none_or(|dir| may_rename_facade(Path::new(dir)));
    let name = match renamable.then(|| crate_name("scalr-endpoints")) {
        Some(Ok(FoundCrate::Name(name))) => name,
        // `Itself` is the facade's own examples, tests and benches, which name it as users do;
        // a lookup failure leaves rustc to say the crate is missing.
        Some(Ok(FoundCrate::Itself) | Err(_)) | None => "scalr_endpoints".to_owned(),
    };
    *last = Some((dir, name.clone()));
    name
}

/// Whether a manifest Cargo reads for the crate in `dir` could rename the facade.
///
/// A rename (`package = "scalr-endpoints"`) quotes the facade's name, in the crate's manifest
/// or in its workspace's: the nearest ancestor manifest with a `[workspace]`, unless
/// `package.workspace` names another. Reading those as text rules a rename out cheaply, which
/// spares most crates proc-macro-crate's exact lookup: it runs `cargo locate-project` and
/// parses the manifests, a tenth of a second of every build of the crate.
fn may_rename_facade(dir: &Path) -> bool {
    let quotes_facade = |text: &str| text.contains("\"scalr-endpoints\"") || text.contains("'scalr-endpoints'");
    let Ok(own) = std::fs::read_to_string(dir.join("Cargo.toml")) else { return true };
    let names_its_workspace = own.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("workspace") && line.contains('=') && line.contains(['"', '\''])
    });
    if quotes_facade(&own) || names_its_workspace {
        return true;
    }
    if own.contains("[workspace") {
        return false;
    }
    for ancestor in dir.ancestors().skip(1) {
        match std::fs::read_to_string(ancestor.join("Cargo.toml")) {
            Ok(text) if text.contains("[workspace") => return quotes_facade(&text),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// A directory tree of manifests under the system's temporary directory, removed on drop.
    struct Manifests(PathBuf);

    impl Manifests {
        fn new(test: &str, files: &[(&str, &str)]) -> Self {
            let root = std::env::temp_dir().join(format!("scalr-crate-path-{test}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            for (path, text) in files {
                let path = root.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Self(root)
        }
    }

    impl Drop for Manifests {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const PLAIN: &str = "[package]\nname = \"app\"\n\n[dependencies]\nscalr-endpoints = \"0.1\"\n";

    #[test]
    fn a_plain_dependency_needs_no_lookup() {
        let tree = Manifests::new("plain", &[("app/Cargo.toml", PLAIN)]);
        assert!(!may_rename_facade(&tree.0.join("app")));
    }

    #[test]
    fn a_rename_in_the_crates_manifest_is_looked_up() {
        let renamed = "[dependencies]\nscalr = { package = \"scalr-endpoints\", version = \"0.1\" }\n";
        let tree = Manifests::new("renamed", &[("app/Cargo.toml", renamed)]);
        assert!(may_rename_facade(&tree.0.join("app")));
        let table = "[dependencies.scalr]\npackage = 'scalr-endpoints'\n";
        let tree = Manifests::new("renamed-table", &[("app/Cargo.toml", table)]);
        assert!(may_rename_facade(&tree.0.join("app")));
    }

    #[test]
    fn a_rename_in_the_workspace_is_looked_up_and_one_outside_it_is_not() {
        let member = "[package]\nname = \"app\"\n\n[dependencies]\nscalr.workspace = true\n";
        let workspace = "[workspace]\nmembers = [\"crates/app\"]\n\n[workspace.dependencies]\nscalr = { package = \"scalr-endpoints\", version = \"0.1\" }\n";
        let tree = Manifests::new("workspace", &[("crates/app/Cargo.toml", member), ("Cargo.toml", workspace)]);
        assert!(may_rename_facade(&tree.0.join("crates/app")));

        // The nearest workspace decides: a manifest above it is not Cargo's.
        let inner = "[workspace]\nmembers = [\"app\"]\n";
        let tree = Manifests::new(
            "nested",
            &[
                ("outer/inner/app/Cargo.toml", PLAIN),
                ("outer/inner/Cargo.toml", inner),
                ("outer/Cargo.toml", workspace),
            ],
        );
        assert!(!may_rename_facade(&tree.0.join("outer/inner/app")));
    }

    #[test]
    fn a_workspace_named_by_path_or_an_unreadable_manifest_is_looked_up() {
        let pointed = "[package]\nname = \"app\"\nworkspace = \"../elsewhere\"\n";
        let tree = Manifests::new("pointed", &[("app/Cargo.toml", pointed)]);
        assert!(may_rename_facade(&tree.0.join("app")));
        let tree = Manifests::new("missing", &[]);
        assert!(may_rename_facade(&tree.0.join("app")));
    }
}
