//! Where the facade crate is, as the user's crate names it: `::scalr_endpoints` unless the
//! dependency was renamed in Cargo.toml.

use proc_macro_crate::{FoundCrate, crate_name};
use proc_macro2::{Ident, Span};

/// The facade's path: `crate = ...` in the attribute overrides it.
pub fn facade() -> syn::Path {
    let name = match crate_name("scalr-endpoints") {
        Ok(FoundCrate::Name(name)) => name,
        // `Itself` is the facade's own examples, tests and benches, which name it as users do;
        // a lookup failure leaves rustc to say the crate is missing.
        Ok(FoundCrate::Itself) | Err(_) => "scalr_endpoints".to_owned(),
    };
    let ident = Ident::new(&name, Span::call_site());
    syn::parse_quote!(::#ident)
}
