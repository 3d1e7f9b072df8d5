//! The `#[scalr_action]` attribute of [`scalr-endpoints`](https://docs.rs/scalr-endpoints).
//!
//! Use it through the `scalr-endpoints` crate. This crate is the compiler half: it parses the
//! attribute and the function's signature (the body stays tokens, for rustc to read), validates
//! them (collecting every mistake), builds a model of the action and emits the code that serves
//! it. The work is done on `proc_macro2` tokens so that
//! each stage can be unit-tested.

mod action;

use proc_macro::TokenStream;

/// Declares a Scalr APIv2 action.
///
/// ```text
/// #[scalr_action(METHOD, "TEMPLATE", status = N, scope = user|account|global,
///                body = "name", permission = "name", errors = [Code, ...],
///                state = Type, crate = path)]
/// ```
///
/// - `METHOD`: `get` (which also answers `HEAD`), `post`, `patch`, `put` or `delete`.
/// - `"TEMPLATE"`: the path after the scope's prefix, placeholders written `<name>`, e.g.
///   `"images/<imageId>/actions/copy"`. A trailing slash is optional, in the template and in
///   requests.
/// - `status`: the success status, 201 for `post` and 200 otherwise by default.
/// - `scope`: `user` (the default, prefix `/api/v1beta0/user/{envId}/`), `account`
///   (`/api/v1beta0/account/`) or `global` (`/api/v1beta0/global/`).
/// - `body`: the body parameter's name in the spec; by default the body argument's name in
///   camelCase (`copy_to` gives `copyTo`).
/// - `permission`: a permission the caller must hold, else
///   `403 PermissionViolation "Insufficient Permissions"`.
/// - `errors`: the error codes the function returns (`ErrorCode` variants), listed in the
///   spec's `x-errorCodes` together with those the framework's own checks produce.
/// - `state`: the router's state type, when no `State<T>` argument names it; the action then
///   reports a non-extractor argument on the argument itself.
/// - `crate`: the path of the `scalr-endpoints` crate, for crates that re-export it. A renamed
///   dependency is found without it.
///
/// The doc comment is required: it becomes the operation's `description` in the spec, which
/// scalr-ctl shows as the command's help.
///
/// The function stays as written, callable from tests. Next to it the attribute defines a
/// marker of the same name in the type namespace (`copy_image {}`), which
/// `ScalrApi::action` registers.
///
/// # How arguments are bound
///
/// Each argument is, in this order of precedence:
/// 1. a placeholder's value, when its name is the placeholder's in snake_case (`<imageId>`
///    binds `image_id`); its type implements `PathParam`, and a segment that does not parse
///    answers `404 EndpointNotFound`;
/// 2. the user scope's environment, when it is named `env_id` (type `EnvId`);
/// 3. the JSON body, when its type is `Body<T>`;
/// 4. otherwise an axum extractor that reads the request head (`FromRequestParts`).
///
/// # What is rejected at compile time
///
/// Every rule below has at least one compile-fail fixture in `tests/ui/fail/`; each message names the
/// action, says what is wrong and how to fix it, and points at the token concerned (inside the
/// template, the message draws carets under the characters, since stable Rust cannot point into
/// a string literal).
///
/// | rule | rejected | reported on |
/// |---|---|---|
/// | the method is one of get, post, patch, put, delete, in lower case | `pots` (did you mean `post`?), `POST`, `head`, `42`, a missing method | the method |
/// | the template is a string literal after the method | a missing template, `images` unquoted, extra positional arguments | the attribute or the token |
/// | options are known, given once, with a value | `stauts` (did you mean `status`?), `status` twice, `status =` | the key |
/// | `status` is a 2xx integer that can carry a body | `404`, `"201"`, `204`, `205` | the value |
/// | `scope` is user, account or global, unquoted | `acount` (did you mean `account`?), `"account"` | the value |
/// | `permission` is a string naming a permission without spaces | `"images manage"`, `images_manage` | the value |
/// | `body` is a string naming an identifier, for an existing body argument | `5`, `"the image"`, `body` without a `Body<T>` argument | the value or the key |
/// | `errors` is a list of distinct `ErrorCode` names | `[ObjectNotFund]` (did you mean `ObjectNotFound`?), `"ObjectNotFound"` | the code or the value |
/// | `state` is a type, `crate` a path | `state = 5`, `crate = 5` | the value |
/// | the template is relative and not empty | `""`, `"/images"` | the template, with carets |
/// | segments are not empty | `images//all` | the template, with carets |
/// | placeholders are `<name>`, closed, named, whole segments | `<imageId`, `<>`, `{imageId}`, `img-<id>`, `<image-id>`, a stray `>` | the template, with carets |
/// | only unreserved characters appear in literals, and no dot segments | `?`, spaces, `%`, `..` | the template, with carets |
/// | each placeholder binds a distinct argument | `<id>` twice, `<imageId>` and `<image_id>` | the template, with carets |
/// | user scope's `envId` is implicit | `<envId>` in a user-scope template | the template, with carets |
/// | every placeholder has its argument | `<imageId>` without `image_id` (did you mean `image_id`?) | the template, with carets |
/// | an argument bound to a placeholder is a plain name | `(left, right): (u32, u32)` for `<left>` | the pattern |
/// | `env_id` appears only in user scope | `env_id` in an account action | the argument |
/// | a plain value (number, string, `Uuid`) not bound by the template is not an extractor | `limit: u32` without `<limit>` | the type |
/// | at most one body, and none on GET or DELETE | two `Body<T>`, a `Body<T>` on `get` | the type |
/// | at most 16 extractors, and 16 placeholders | a 17th extractor | the type |
/// | the function is a free `async fn`, not generic, const, unsafe, extern or variadic | `fn`, `const fn`, `const async fn`, `unsafe`, `extern "C"`, `<T>`, `where`, `...`, `&self` | the token |
/// | the return type is named | `impl Serialize` | the type |
/// | the function has a doc comment (the spec's description, scalr-ctl's help) | no `///` | the function's name |
/// | the attribute is on a function | a struct, an enum, an `impl` block | the attribute |
/// | a placeholder's type implements `PathParam` | `image_id: f64` | the type (rustc) |
/// | `env_id`'s type implements `FromEnvId` | `env_id: u64` | the type (rustc) |
/// | a body's `T` implements `Deserialize` and `JsonSchema` | a struct without the derives | the type (rustc) |
/// | other arguments are extractors for the router's state | `limit: Limit` | the type (rustc), or the registration when the state is not known |
/// | the return type converts into an envelope | `String`, `Result<(), io::Error>` | the type (rustc) |
/// | the function's future is `Send` | an `Rc` held across `.await` | the function's name (rustc) |
/// | an action serves the router's state | registering a `State<App>` action on `ScalrApi<Other>` | the registration (rustc) |
///
/// Several mistakes in one declaration are all reported in one build.
#[proc_macro_attribute]
pub fn scalr_action(attr: TokenStream, item: TokenStream) -> TokenStream {
    action::expand(attr.into(), item.into()).into()
}
