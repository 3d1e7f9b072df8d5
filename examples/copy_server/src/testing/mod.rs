//! What the integration tests and benchmarks share (feature `testing`): requests and replies
//! in-process or over HTTP ([`http`]), and the example server on a fresh demo database, in-process
//! or as a process of its own ([`demo_server`]).

pub mod demo_server;
pub mod http;
