//! `scalr_endpoints::serve` under slow, silent and numerous clients, over real loopback
//! connections: the head deadline cuts a slow client while others are served, the body deadline
//! refuses a slow body with an envelope, the connection cap queues newcomers without starving
//! the admitted, and shutdown waits for a half-sent request only up to its deadline.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use scalr_endpoints::prelude::*;
use scalr_endpoints::{ServeOptions, serve};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Say hello.
#[scalr_action(get, "hello/", scope = global)]
async fn hello() {}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code)]
struct Note {
    text: String,
}

/// Take a note.
#[scalr_action(post, "notes/", scope = global)]
async fn take_note(_note: Body<Note>) {}

struct Server {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

async fn start(options: ServeOptions) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = ScalrApi::new().action(hello {}).action(take_note {}).into_router();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, options, async {
        let _ = stopped.await;
    }));
    Server { address, stop: Some(stop), task }
}

/// One whole request on a fresh connection; the status and the body, within `within`.
async fn request(address: SocketAddr, raw: &str, within: Duration) -> Option<(u16, String)> {
    let exchange = async {
        let mut stream = TcpStream::connect(address).await.ok()?;
        stream.write_all(raw.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok()?;
        let text = String::from_utf8_lossy(&answer).into_owned();
        let status = text.split(' ').nth(1)?.parse().ok()?;
        let body = text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
        Some((status, body))
    };
    tokio::time::timeout(within, exchange).await.ok().flatten()
}

const HELLO: &str = "GET /api/v1beta0/global/hello/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

/// Whether the server closes `stream` (a read returns end of file or an error) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0_u8; 1024];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buffer)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn a_client_trickling_its_head_is_cut_while_others_are_answered() {
    let server = start(ServeOptions::new().header_read_timeout(Duration::from_millis(400))).await;
    let mut slow = TcpStream::connect(server.address).await.unwrap();
    slow.write_all(b"GET /api/v1beta0/global/hello/ HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let answered = request(server.address, HELLO, Duration::from_secs(1)).await;
    assert_eq!(answered.map(|(status, _)| status), Some(200), "a normal client is answered within 1 s");
    assert!(closed_within(&mut slow, Duration::from_secs(2)).await, "the slow client was not cut");
    let cut_after = started.elapsed();
    assert!(cut_after >= Duration::from_millis(300), "cut after {cut_after:?}, before its deadline");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let server = start(ServeOptions::new().header_read_timeout(Duration::from_millis(400))).await;
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    stream.write_all(b"GET /api/v1beta0/global/hello/ HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut buffer = [0_u8; 4096];
    let read = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut stream, Duration::from_secs(2)).await, "the idle connection stayed open");
}

#[tokio::test]
async fn a_slow_body_is_refused_with_an_envelope() {
    let server = start(ServeOptions::new().body_read_timeout(Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(server.address).await.unwrap();
    let head = "POST /api/v1beta0/global/notes/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20\r\nConnection: close\r\n\r\n{\"text\"";
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await.expect("an answer").unwrap();
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    let body: Value = serde_json::from_str(text.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(body["errors"][0]["code"], "InvalidStructure");
    assert_eq!(body["errors"][0]["message"], "Invalid body: the request body was not received in time.");
}

#[tokio::test]
async fn past_the_cap_newcomers_wait_and_the_admitted_are_served() {
    let options = ServeOptions::new().max_connections(2).header_read_timeout(Duration::from_millis(800));
    let server = start(options).await;
    let mut first = TcpStream::connect(server.address).await.unwrap();
    let _second = TcpStream::connect(server.address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A third client waits: both slots are taken by silent connections.
    let started = Instant::now();
    let third = tokio::spawn(request(server.address, HELLO, Duration::from_secs(5)));
    // An admitted connection is still served at once.
    first.write_all(HELLO.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_millis(500), first.read_to_end(&mut answer)).await.expect("served").unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    // The third is served once a slot frees (the first closed; the second times out).
    let third = third.await.unwrap();
    assert_eq!(third.map(|(status, _)| status), Some(200));
    assert!(started.elapsed() < Duration::from_secs(2), "the newcomer waited {:?}", started.elapsed());
}

#[tokio::test]
async fn at_most_the_cap_of_connections_is_open() {
    let options = ServeOptions::new().max_connections(3).header_read_timeout(Duration::from_secs(2));
    let server = start(options).await;
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(server.address).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(request(server.address, HELLO, Duration::from_millis(500)).await, None, "a fourth was served");
    drop(silent.pop());
    assert_eq!(request(server.address, HELLO, Duration::from_secs(1)).await.map(|(status, _)| status), Some(200));
}

#[tokio::test]
async fn shutdown_waits_for_a_half_sent_request_only_up_to_its_deadline() {
    let options =
        ServeOptions::new().header_read_timeout(Duration::from_secs(30)).shutdown_timeout(Duration::from_millis(500));
    let mut server = start(options).await;
    let mut half = TcpStream::connect(server.address).await.unwrap();
    half.write_all(b"POST /api/v1beta0/global/notes/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    server.stop.take().unwrap().send(()).unwrap();
    let finished = tokio::time::timeout(Duration::from_secs(3), &mut server.task).await;
    assert!(matches!(finished, Ok(Ok(Ok(())))), "serve did not return: {finished:?}");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(400) && took < Duration::from_secs(2), "shutdown took {took:?}");
}

/// What docs/wire-contract.md#errors-the-http-layer-answers says hyper answers itself, bare,
/// before any router runs; and that the router envelopes the request just under those limits.
#[tokio::test]
async fn hyper_answers_what_it_cannot_parse_and_the_router_envelopes_the_rest() {
    let server = start(ServeOptions::new()).await;
    let address = server.address;
    let answer = |raw: String| async move { request(address, &raw, Duration::from_secs(5)).await };
    let bad_line = answer("NOT HTTP\r\n\r\n".to_owned()).await;
    assert_eq!(bad_line, Some((400, String::new())));
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(70_000));
    assert_eq!(answer(long_uri).await, Some((414, String::new())));
    let cookie =
        format!("GET /api/ HTTP/1.1\r\nHost: x\r\nCookie: {}\r\nConnection: close\r\n\r\n", "c".repeat(500_000));
    assert_eq!(answer(cookie).await, Some((431, String::new())));
    // Under the limits, an unknown route is the router's, with an envelope.
    let just_under = format!("GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "a".repeat(60_000));
    let (status, body) = answer(just_under).await.expect("an answer");
    assert_eq!(status, 404);
    let envelope: Value = serde_json::from_str(&body).expect("an envelope");
    assert_eq!(envelope["errors"][0]["code"], "EndpointNotFound");
}
