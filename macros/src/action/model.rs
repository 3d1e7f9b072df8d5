//! The validated action: only these types reach code generation, so emit never has to wonder
//! whether a value was checked.

use proc_macro2::Ident;
use syn::{Type, Visibility};

/// An HTTP method an action can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    /// The methods as written in the attribute.
    pub const NAMES: [&'static str; 5] = ["get", "post", "patch", "put", "delete"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "get" => Method::Get,
            "post" => Method::Post,
            "patch" => Method::Patch,
            "put" => Method::Put,
            "delete" => Method::Delete,
            _ => return None,
        })
    }

    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Patch => "Patch",
            Method::Put => "Put",
            Method::Delete => "Delete",
        }
    }

    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Whether requests with this method carry a body an action may read.
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Patch | Method::Put)
    }

    /// The default success status: 201 Created for POST (as the copy answers, `docs/wire-contract.md#d7-copy-answers-201-with-the-new-image`), 200 otherwise.
    pub fn default_status(self) -> u16 {
        if self == Method::Post { 201 } else { 200 }
    }
}

/// The codes of the runtime's `ErrorCode`, for `errors = [...]`; the pass fixture
/// `tests/ui/pass/options.rs` declares every one, so the two lists cannot drift apart unseen.
pub const ERROR_CODES: [&str; 24] = [
    "BadRequest",
    "InvalidStructure",
    "InvalidValue",
    "BadAuthentication",
    "PermissionViolation",
    "ScopeViolation",
    "LimitExceeded",
    "EndpointNotFound",
    "ObjectNotFound",
    "ObjectInUse",
    "UnicityViolation",
    "Locked",
    "NotEnabledPlatform",
    "OperatingSystemMismatch",
    "Deprecated",
    "UnacceptableState",
    "UnacceptableImageStatus",
    "ObjectNotFoundOnCloud",
    "UnacceptableObjectConfiguration",
    "ConfigurationMismatch",
    "PayloadTooLarge",
    "InternalServerError",
    "NotImplemented",
    "ServiceUnavailable",
];

/// A Scalr API scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    User,
    Account,
    Global,
}

impl Scope {
    pub const NAMES: [&'static str; 3] = ["user", "account", "global"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "user" => Scope::User,
            "account" => Scope::Account,
            "global" => Scope::Global,
            _ => return None,
        })
    }

    /// The scope as written in the attribute.
    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Account => "account",
            Scope::Global => "global",
        }
    }

    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            Scope::User => "User",
            Scope::Account => "Account",
            Scope::Global => "Global",
        }
    }

    /// The path every route of the scope starts with, without a trailing slash.
    pub fn prefix(self) -> &'static str {
        match self {
            Scope::User => "/api/v1beta0/user/{envId}",
            Scope::Account => "/api/v1beta0/account",
            Scope::Global => "/api/v1beta0/global",
        }
    }

    /// How many of a matched route's values come before the template's placeholders: user
    /// scope's `{envId}`. The one place that knows it, so bindings and routes cannot disagree.
    pub fn route_values_before_template(self) -> usize {
        usize::from(self == Scope::User)
    }

    /// How many segments the prefix has: `api`, `v1beta0`, the scope, then its own values.
    pub fn prefix_segments(self) -> usize {
        3 + self.route_values_before_template()
    }
}

/// One segment of a validated path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Placeholder(String),
}

/// A validated path template, relative to the scope's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub segments: Vec<Segment>,
    /// The argument each placeholder binds, in order: its name in snake_case, converted once
    /// (run by each check, the conversion was 4 % of the macro's instructions).
    pub arguments: Vec<String>,
}

impl Template {
    /// The placeholders' names, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Placeholder(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The full path with `{name}` placeholders and no trailing slash.
    pub fn path(&self, scope: Scope) -> String {
        let mut path = scope.prefix().to_owned();
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => path.push_str(&format!("/{text}")),
                Segment::Placeholder(name) => path.push_str(&format!("/{{{name}}}")),
            }
        }
        path
    }

    /// The path as registered with axum: placeholders are named after their segment's position,
    /// so two actions naming one segment differently do not conflict in the router.
    pub fn route(&self, scope: Scope) -> String {
        let mut route = scope.prefix().to_owned();
        for (index, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => route.push_str(&format!("/{text}")),
                Segment::Placeholder(_) => route.push_str(&format!("/{{s{}}}", index + scope.prefix_segments())),
            }
        }
        route
    }
}

/// What an argument of the action receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentKind {
    /// The value of a placeholder; which one is in [`Action::bindings`].
    Placeholder,
    /// The user scope's `envId`.
    EnvId,
    /// The JSON body: the argument is a `Body<T>`, and this is the `T`.
    Body(Box<Type>),
    /// The query parameters: the argument is a `QueryArgs<T>`, and this is the `T`.
    QueryArgs(Box<Type>),
    /// An axum extractor that reads the request head.
    Extractor,
}

/// One argument of the action function.
#[derive(Clone)]
pub struct Argument {
    pub ty: Type,
    pub kind: ArgumentKind,
}

/// Placeholder `placeholder` of the template is the function's argument number `argument`,
/// read from value number `route_value` of the matched route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub placeholder: String,
    pub argument: usize,
    pub route_value: usize,
}

/// The state type of the router the action serves.
#[derive(Clone)]
pub enum State {
    /// Named with `state = T`, or the `T` of the one `State<T>` argument.
    Known(Box<Type>),
    /// Unknown: the action serves any state its extractors accept.
    Any,
}

/// A validated `#[scalr_action]` declaration.
#[derive(Clone)]
pub struct Action {
    pub name: Ident,
    pub vis: Visibility,
    pub method: Method,
    pub scope: Scope,
    pub status: u16,
    pub template: Template,
    pub description: String,
    pub arguments: Vec<Argument>,
    /// Where each placeholder's value goes, in the template's order.
    pub bindings: Vec<Binding>,
    /// The body parameter's name in the spec, when the action takes a body.
    pub body_name: Option<String>,
    /// The permission a caller needs.
    pub permission: Option<String>,
    /// The error codes the function declares it returns.
    pub errors: Vec<Ident>,
    pub state: State,
    /// The declared return type; `None` for `()`.
    pub output: Option<Type>,
}

impl Action {
    /// One binding per placeholder, in the template's order: the spec's path parameters. Only
    /// a function rustc rejects (two arguments of one name) binds a placeholder twice; the
    /// first argument then describes it.
    pub fn bindings_in_template_order(&self) -> impl Iterator<Item = &Binding> {
        let mut bindings: Vec<&Binding> = self.bindings.iter().collect();
        bindings.sort_by_key(|binding| binding.route_value);
        bindings.dedup_by_key(|binding| binding.route_value);
        bindings.into_iter()
    }
}
