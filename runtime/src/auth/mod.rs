//! Scalr's request signing (V1-HMAC-SHA256), both sides of it: verifying signed requests with
//! a [`KeyStore`] (configured with [`ScalrApi::authenticate`](crate::ScalrApi::authenticate)),
//! and signing them with a [`Signer`].
//!
//! A router with a key store runs, before every action, the checks of `docs/wire-contract.md#order-of-checks` in its
//! order: the signature headers, the date (300 seconds either way), the key, the signature, the
//! user, the optional [`RateLimit`]; then, for user-scope actions, the environment; then the
//! action's declared `permission`. The caller reaches handlers as an [`Identity`].

mod clock;
mod date;
mod identity;
mod key_file;
mod keys;
mod memory_store;
mod rate_limit;
#[cfg(feature = "reqwest")]
mod reqwest_signing;
mod signature;
mod signer;
mod verifier;

pub use clock::{Clock, SystemClock};
pub use identity::Identity;
pub(crate) use identity::PERMISSION_CODES;
pub use key_file::KeyFileError;
pub use keys::{ApiKey, BoxFuture, DynKeyStore, KeyStore, KeyStoreError, Secret, User};
pub use memory_store::MemoryKeyStore;
pub(crate) use rate_limit::SharedRateCounter;
pub use rate_limit::{MemoryRateCounter, Minute, RateCounter, RateCounterError, RateLimit, WhenUncounted};
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use reqwest_signing::StreamingBody;
pub use signature::{DATE_HEADER, DEBUG_HEADER, KEY_ID_HEADER, SIGNATURE_HEADER, SIGNATURE_SCHEME, StringToSign};
pub(crate) use signature::{security_definitions, security_requirement};
pub use signer::{SignedHeaders, Signer};
pub(crate) use verifier::{Authenticator, ENVIRONMENT_CODES, RATE_LIMIT_CODES, SIGNATURE_CODES};
