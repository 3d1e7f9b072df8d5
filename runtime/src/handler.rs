//! The one handler every action runs: [`Action::call`](crate::Action::call) of a
//! `#[scalr_action]` is a single call to a `serve_*` function here, generic over the action's
//! argument types, so the async state machine that looks the path up, admits the request, binds
//! the arguments and writes the reply is written, type-checked and borrow-checked once, in this
//! crate, instead of once per action in the user's crate.
//!
//! The generated call passes what is particular to the action: the extractor types as generic
//! arguments of `serve_N` (N extractors; their bound is the precise requirement, reported on the
//! user's type), the other arguments as [`Roles`] (function pointers that the requirement
//! functions of [`crate::requirements`] produced under the user's spans), and a closure that
//! puts the bound values in the function's declaration order and calls it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::action::{ActionFuture, ActionInfo};
use crate::error::ApiError;
use crate::extract::{EnvId, PathValues};
use crate::pipeline::{Admitted, Pipeline};
use crate::requirements::{ExtractorValue, OutputRole, PlaceholderRole, SchemaRole};

/// The arguments of an action that are not extractors, and how its reply is written: each is
/// the role its requirement function returned, whose spec half the action's metadata reads
/// (so the requirements are checked once per action, here) and whose other half serves.
pub struct Roles<P, E, Q, B, O> {
    /// The placeholders' arguments: `()` or a tuple of [`Placeholder`]s, in declaration order.
    pub placeholders: P,
    /// The `env_id` argument: `()` or the `fn(EnvId) -> T` of [`env_id`](crate::requirements::env_id).
    pub env_id: E,
    /// The `QueryArgs<T>` argument: `()` or its [`QueryArgsRole`].
    pub query_args: Q,
    /// The `Body<T>` argument: `()` or its [`BodyRole`].
    pub body: B,
    /// What the function returns: its spec, and how the response is written (with the
    /// metadata's status, which the roles do not repeat).
    pub output: OutputRole<O>,
}

/// The `env_id` role's type in [`Roles`]: the environment's id made the argument's type.
pub type EnvIdSlot<T> = fn(EnvId) -> T;

/// How a `QueryArgs<T>` is read from the request head.
pub type QueryArgsSlot<T> = fn(&Parts) -> Result<crate::extract::QueryArgs<T>, ApiError>;

/// How a `Body<T>` is read from the body's bytes.
pub type BodySlot<T> = fn(&[u8]) -> Result<crate::extract::Body<T>, ApiError>;

/// The `query_args` role's type in [`Roles`].
pub type QueryArgsRole<T> = SchemaRole<QueryArgsSlot<T>>;

/// The `body` role's type in [`Roles`].
pub type BodyRole<T> = SchemaRole<BodySlot<T>>;

/// A placeholder's argument: the matched route's value it is read from, and its role.
pub struct Placeholder<T> {
    /// The index of the value among the matched route's values (user scope's `envId` is 0).
    pub route_value: usize,
    /// Its spec, and how a segment is parsed (`None` means there is no such endpoint).
    pub role: PlaceholderRole<T>,
}

/// One of an action's non-extractor arguments (or none, `()`), read from `Input`.
///
/// Every slot is a function pointer or a tuple of them, so `Send + 'static` is asked of the
/// implementations here rather than of each action's slots at its `serve_N` call.
pub trait Slot<Input: ?Sized>: Send + 'static {
    /// What the function receives.
    type Value;

    /// Reads the argument; an error is answered instead of calling the function.
    fn fill(&self, input: &Input) -> Result<Self::Value, ApiError>;
}

impl<Input: ?Sized> Slot<Input> for () {
    type Value = ();

    fn fill(&self, _: &Input) -> Result<(), ApiError> {
        Ok(())
    }
}

/// A `QueryArgs<T>` (from the request head) or a `Body<T>` (from the body's bytes).
impl<Input: ?Sized + 'static, T: 'static> Slot<Input> for SchemaRole<fn(&Input) -> Result<T, ApiError>> {
    type Value = T;

    fn fill(&self, input: &Input) -> Result<T, ApiError> {
        (self.parse)(input)
    }
}

/// The `env_id` argument, from the environment the admission validated.
impl<T: 'static> Slot<Admitted> for fn(EnvId) -> T {
    type Value = T;

    fn fill(&self, admitted: &Admitted) -> Result<T, ApiError> {
        Ok(self(admitted.env_id()))
    }
}

macro_rules! placeholder_tuples {
    ($(($($placeholder:ident $index:tt),+))+) => {$(
        /// The placeholders' arguments, from the matched route's values.
        impl<$($placeholder: 'static),+> Slot<PathValues> for ($(Placeholder<$placeholder>,)+) {
            type Value = ($($placeholder,)+);

            fn fill(&self, path: &PathValues) -> Result<Self::Value, ApiError> {
                Ok(($(path.bind(self.$index.route_value, self.$index.role.parse)?,)+))
            }
        }
    )+};
}

placeholder_tuples! {
    (T0 0)
    (T0 0, T1 1)
    (T0 0, T1 1, T2 2)
    (T0 0, T1 1, T2 2, T3 3)
    (T0 0, T1 1, T2 2, T3 3, T4 4)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14)
    (T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11, T12 12, T13 13, T14 14, T15 15)
}

/// An action's extractors, run in declaration order against router state `S`.
pub trait Extractors<S>: Sized {
    /// Runs them; the first rejection is the response.
    fn extract(parts: &mut Parts, state: &S) -> impl Future<Output = Result<Self, Response>> + Send;
}

impl<S: Sync> Extractors<S> for () {
    async fn extract(_: &mut Parts, _: &S) -> Result<(), Response> {
        Ok(())
    }
}

pin_project_lite::pin_project! {
    /// An action's future, proven `Send` by [`require_send`](crate::requirements::require_send).
    ///
    /// The proof is made once, where the function is called, so that an action whose future is
    /// not `Send` gets that one error on the function's name, and not a second one where the
    /// handler's future is required to be `Send`.
    pub struct SendChecked<F> {
        #[pin]
        future: F,
    }
}

impl<F: Send> SendChecked<F> {
    /// Wraps a future that is `Send`.
    pub(crate) fn new(future: F) -> Self {
        Self { future }
    }
}

// SAFETY: the only constructor, `SendChecked::new`, requires `F: Send`.
unsafe impl<F> Send for SendChecked<F> {}

impl<F: Future> Future for SendChecked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        self.project().future.poll(context)
    }
}

/// Serves one request: the path lookup, the placeholders, the admission, the extractors, the
/// query parameters and the body, in that order, then the function and the reply.
async fn run<A, S, X, P, E, Q, B, O, F, Fut>(
    request: Request,
    state: S,
    pipeline: Arc<Pipeline>,
    roles: Roles<P, E, Q, B, O>,
    function: F,
) -> Response
where
    A: ActionInfo,
    X: Extractors<S>,
    P: Slot<PathValues>,
    E: Slot<Admitted>,
    Q: Slot<Parts>,
    B: Slot<[u8]>,
    F: FnOnce(X, P::Value, E::Value, Q::Value, B::Value) -> SendChecked<Fut>,
    Fut: Future<Output = O>,
{
    let (mut parts, body) = request.into_parts();
    let path = match PathValues::from_parts(&mut parts).await {
        Ok(path) => path,
        Err(error) => return error.into_response(),
    };
    let placeholders = match roles.placeholders.fill(&path) {
        Ok(values) => values,
        Err(error) => return error.into_response(),
    };
    let admitted = match pipeline.admit(&mut parts, body, &path, A::META).await {
        Ok(admitted) => admitted,
        Err(response) => return response,
    };
    let env_id = match roles.env_id.fill(&admitted) {
        Ok(env_id) => env_id,
        Err(error) => return error.into_response(),
    };
    let extracted = match X::extract(&mut parts, &state).await {
        Ok(extracted) => extracted,
        Err(rejection) => return rejection,
    };
    let reply = admitted.reply(&parts);
    let query_args = match roles.query_args.fill(&parts) {
        Ok(query_args) => query_args,
        Err(error) => return reply.reject(error),
    };
    let body = match roles.body.fill(admitted.body_bytes()) {
        Ok(body) => body,
        Err(error) => return reply.reject(error),
    };
    let output = function(extracted, placeholders, env_id, query_args, body).await;
    (roles.output.respond)(reply, output, A::META.status)
}

macro_rules! serve_with_extractors {
    ($($serve:ident ($($extractor:ident),*);)+) => {$(
        /// Serves one request to action `A`, whose function takes the extractors listed in the
        /// generic arguments (each must be an extractor for `S`; the bound names the action).
        pub fn $serve<A, S, $($extractor,)* P, E, Q, B, O, F, Fut>(
            request: Request,
            state: S,
            pipeline: Arc<Pipeline>,
            roles: Roles<P, E, Q, B, O>,
            function: F,
        ) -> ActionFuture
        where
            A: ActionInfo,
            S: Send + Sync + 'static,
            $($extractor: ExtractorValue<S, A> + Send + 'static,)*
            P: Slot<PathValues>,
            P::Value: Send,
            E: Slot<Admitted>,
            E::Value: Send,
            Q: Slot<Parts>,
            B: Slot<[u8]>,
            O: 'static,
            F: FnOnce(($($extractor,)*), P::Value, E::Value, Q::Value, B::Value) -> SendChecked<Fut> + Send + 'static,
            Fut: Future<Output = O> + 'static,
        {
            Box::pin(run::<A, S, ($($extractor,)*), P, E, Q, B, O, F, Fut>(request, state, pipeline, roles, function))
        }
    )+};
}

serve_with_extractors! {
    serve_0();
    serve_1(E0);
    serve_2(E0, E1);
    serve_3(E0, E1, E2);
    serve_4(E0, E1, E2, E3);
    serve_5(E0, E1, E2, E3, E4);
    serve_6(E0, E1, E2, E3, E4, E5);
    serve_7(E0, E1, E2, E3, E4, E5, E6);
    serve_8(E0, E1, E2, E3, E4, E5, E6, E7);
    serve_9(E0, E1, E2, E3, E4, E5, E6, E7, E8);
    serve_10(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9);
    serve_11(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10);
    serve_12(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11);
    serve_13(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12);
    serve_14(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13);
    serve_15(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13, E14);
    serve_16(E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13, E14, E15);
}

macro_rules! extractor_tuples {
    ($(($($extractor:ident),+))+) => {$(
        impl<S: Send + Sync, $($extractor: FromRequestParts<S> + Send),+> Extractors<S> for ($($extractor,)+) {
            #[allow(non_snake_case)]
            async fn extract(parts: &mut Parts, state: &S) -> Result<Self, Response> {
                $(
                    let $extractor = match $extractor::from_request_parts(parts, state).await {
                        Ok(value) => value,
                        Err(rejection) => return Err(rejection.into_response()),
                    };
                )+
                Ok(($($extractor,)+))
            }
        }
    )+};
}

extractor_tuples! {
    (E0)
    (E0, E1)
    (E0, E1, E2)
    (E0, E1, E2, E3)
    (E0, E1, E2, E3, E4)
    (E0, E1, E2, E3, E4, E5)
    (E0, E1, E2, E3, E4, E5, E6)
    (E0, E1, E2, E3, E4, E5, E6, E7)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13, E14)
    (E0, E1, E2, E3, E4, E5, E6, E7, E8, E9, E10, E11, E12, E13, E14, E15)
}
