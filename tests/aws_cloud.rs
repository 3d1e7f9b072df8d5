//! The EC2 backend (`scalr_copy_server::cloud::ec2`, feature `aws`) against a real local EC2:
//! moto's server, whose URL `SCALR_MOTO_URL` gives (`interop/moto.sh` starts one and runs this
//! suite). Register, copy through the signed API and find the copy in the destination region
//! with Scalr's name and description, deregister, follow a copy's state, resume following after
//! a restart; and, without moto, how an unreachable endpoint, throttling and refused credentials
//! are answered.
//!
//! Without the feature the suite is one test that says it is skipped; without `SCALR_MOTO_URL`
//! the moto tests say so and pass. They never use the environment's AWS credentials: the
//! in-process tests sign with moto's dummy ones, and the process test runs only when the
//! environment points the SDK at moto itself.

#[cfg(not(feature = "aws"))]
#[test]
fn skipped_without_the_aws_feature() {
    let line = "skipped: the EC2 backend's tests need `--features aws` (and SCALR_MOTO_URL; see interop/moto.sh)\n";
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// How each kind of cloud error is answered (with or without the feature): the 409s carry the
/// cloud's message, the 503 and the 500 keep their detail for the log.
#[test]
fn cloud_errors_become_scalr_envelopes() {
    let cases = [
        (scalr_copy_server::cloud::CloudError::NotFound("gone".into()), "ObjectNotFoundOnCloud", "gone"),
        (scalr_copy_server::cloud::CloudError::Duplicate("twice".into()), "UnicityViolation", "twice"),
        (
            scalr_copy_server::cloud::CloudError::Unavailable("secret detail".into()),
            "ServiceUnavailable",
            "The cloud is unavailable; try again later.",
        ),
        (scalr_copy_server::cloud::CloudError::Failed("secret detail".into()), "InternalServerError", "Server Error"),
    ];
    for (error, code, message) in cases {
        let api: scalr_endpoints::ApiError = error.into();
        assert_eq!((format!("{:?}", api.code()), api.message()), (code.to_owned(), message));
    }
}

#[cfg(feature = "aws")]
mod moto {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::http::Method;
    use scalr_copy_server::AppState;
    use scalr_copy_server::cloud::Cloud;
    use scalr_copy_server::cloud::ec2::aws_config::{self, BehaviorVersion, SdkConfig};
    use scalr_copy_server::cloud::ec2::aws_sdk_ec2;
    use scalr_copy_server::cloud::ec2::aws_sdk_ec2::config::{Credentials, Region};
    use scalr_copy_server::cloud::ec2::{Ec2, Ec2Options};
    use scalr_copy_server::follow::{CopyFollower, FollowOptions, Pass};
    use scalr_copy_server::testing::demo_server::{DemoDatabase, ServerProcess};
    use scalr_copy_server::testing::http::{Reply, send_http};
    use scalr_endpoints::auth::Signer;
    use serde_json::{Value, json};

    /// The variable naming moto's server, e.g. `http://127.0.0.1:5000`.
    const MOTO_URL: &str = "SCALR_MOTO_URL";

    const IMAGES: &str = "/api/v1beta0/user/1/images/";

    /// Moto's URL, or `None` after saying that `test` is skipped.
    fn moto_or_skip(test: &str) -> Option<String> {
        let url = std::env::var(MOTO_URL).ok().filter(|url| !url.trim().is_empty());
        if url.is_none() {
            // Straight to stderr, past the harness's capture: a plain `cargo test` shows it.
            let line = format!("skipped: no {MOTO_URL} (moto suite: {test}; interop/moto.sh runs it)\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
        }
        url
    }

    /// The SDK pointed at `endpoint` with dummy credentials: never an AWS account.
    async fn sdk_config(endpoint: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(Region::from_static("us-east-1"))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "scalr-copy-server tests"))
            .load()
            .await
    }

    /// The SDK's EC2 client of `region`, for the tests' own look at moto.
    fn ec2_client(config: &SdkConfig, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(config).region(Region::new(region.to_owned())).build(),
        )
    }

    /// A new AMI in `region` of moto, named `name`; its id.
    async fn make_ami(config: &SdkConfig, region: &str, name: &str) -> String {
        let registered = ec2_client(config, region)
            .register_image()
            .name(name)
            .description("made by the tests")
            .root_device_name("/dev/sda1")
            .architecture(aws_sdk_ec2::types::ArchitectureValues::X8664)
            .send()
            .await
            .expect("moto registers an AMI");
        registered.image_id().expect("an AMI id").to_owned()
    }

    /// AMI `id` of `region` as moto describes it, if it has it.
    async fn describe(config: &SdkConfig, region: &str, id: &str) -> Option<aws_sdk_ec2::types::Image> {
        let described = ec2_client(config, region).describe_images().image_ids(id).send().await;
        match described {
            Ok(output) => output.images().first().cloned(),
            Err(error) if aws_sdk_ec2::error::ProvideErrorMetadata::code(&error) == Some("InvalidAMIID.NotFound") => {
                None
            }
            Err(error) => panic!("DescribeImages: {}", aws_sdk_ec2::error::DisplayErrorContext(&error)),
        }
    }

    /// A name no other test run used: AMI names are unique per region.
    fn unique_name(prefix: &str) -> String {
        format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
    }

    /// The example's router on a fresh demo database, with `cloud`, served over TCP; requests
    /// are signed with the demo key.
    struct Server {
        database: DemoDatabase,
        address: std::net::SocketAddr,
        task: tokio::task::JoinHandle<()>,
        client: reqwest::Client,
        cloud: Arc<dyn Cloud>,
    }

    impl Server {
        async fn start(cloud: Arc<dyn Cloud>) -> Self {
            let database = DemoDatabase::new().await;
            let state = AppState { store: Arc::clone(&database.store), cloud: Arc::clone(&cloud) };
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
            let address = listener.local_addr().expect("an address");
            let router = scalr_copy_server::router(state);
            let task = tokio::spawn(async move {
                let _ = axum::serve(listener, router).await;
            });
            Self { database, address, task, client: reqwest::Client::new(), cloud }
        }

        fn signer(&self) -> &Signer {
            &self.database.signer
        }

        async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
            let url = format!("http://{}{path}", self.address);
            let body = body.map(|body| body.to_string());
            send_http(&self.client, self.signer(), method, &url, body.as_deref()).await.expect("the server answers")
        }

        async fn register(&self, name: &str, ami: &str, region: &str) -> Reply {
            let body = json!({
                "name": name,
                "cloudImageId": ami,
                "cloudPlatform": "ec2",
                "cloudLocation": region,
                "architecture": "x86_64",
                "type": "ebs-hvm",
                "os": {"id": "ubuntu-22-04"},
            });
            self.send(Method::POST, IMAGES, Some(body)).await
        }

        async fn copy(&self, image_id: &str, region: &str) -> Reply {
            let body = json!({"cloudLocation": region, "cloudPlatform": "ec2"});
            self.send(Method::POST, &format!("{IMAGES}{image_id}/actions/copy/"), Some(body)).await
        }

        fn follower(&self) -> CopyFollower {
            let options =
                FollowOptions { scan_every: Duration::from_millis(10), max_backoff: Duration::from_millis(50) };
            CopyFollower::new(Arc::clone(&self.database.store), Arc::clone(&self.cloud), options)
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.task.abort();
        }
    }

    async fn moto_server(moto: &str) -> (Server, SdkConfig) {
        let config = sdk_config(moto).await;
        let ec2 = Ec2::new(config.clone(), Ec2Options { timeout: Duration::from_secs(10), attempts: 2 });
        (Server::start(Arc::new(ec2)).await, config)
    }

    fn data(reply: &Reply, status: u16) -> &Value {
        assert_eq!(reply.status.as_u16(), status, "{}", reply.json);
        &reply.json["data"]
    }

    #[tokio::test]
    async fn an_ami_made_in_moto_is_registered_and_copied_to_another_region_with_scalrs_name_and_description() {
        let Some(moto) = moto_or_skip("register and copy") else { return };
        let (server, config) = moto_server(&moto).await;
        let name = unique_name("base");
        let ami = make_ami(&config, "us-east-1", &name).await;

        let registered = server.register(&name, &ami, "us-east-1").await;
        let source = data(&registered, 201).clone();
        assert_eq!(source["cloudImageId"], ami.as_str());

        let copied = server.copy(source["id"].as_str().unwrap(), "us-west-2").await;
        let copy = data(&copied, 201);
        let new_ami = copy["cloudImageId"].as_str().expect("the copy's AMI id");
        assert_ne!(new_ami, ami);
        assert_eq!(copy["cloudLocation"], "us-west-2");
        assert_eq!(copy["name"], name.as_str());
        assert_eq!(copy["status"], "active");
        assert_eq!(copy["statusError"], Value::Null);

        // EC2 (moto) has the new AMI in the destination region, as Scalr named and described it.
        let found = describe(&config, "us-west-2", new_ami).await.expect("the copy is in us-west-2");
        assert_eq!(found.name(), Some(name.as_str()));
        let description = format!("Image was copied by Scalr from image: {name}, cloudLocation: us-east-1, id: {ami}");
        assert_eq!(found.description(), Some(description.as_str()));
        assert!(describe(&config, "us-east-1", new_ami).await.is_none(), "the copy is not in the source region");

        // The server kept the AMI id EC2 returned, and reads it back.
        let read = server.send(Method::GET, &format!("{IMAGES}{}/", copy["id"].as_str().unwrap()), None).await;
        assert_eq!(data(&read, 200), copy);
    }

    #[tokio::test]
    async fn an_ami_moto_does_not_have_is_409_object_not_found_on_cloud() {
        let Some(moto) = moto_or_skip("unknown AMI") else { return };
        let (server, config) = moto_server(&moto).await;
        let refused = server.register("nowhere", "ami-0123456789abcdef0", "us-east-1").await;
        assert_eq!(refused.status.as_u16(), 409, "{}", refused.json);
        refused.assert_error(
            409,
            "ObjectNotFoundOnCloud",
            "The image ami-0123456789abcdef0 was not found on the cloud in us-east-1.",
        );
        // In another region than its own, an AMI is not found either.
        let name = unique_name("elsewhere");
        let ami = make_ami(&config, "eu-west-1", &name).await;
        server.register(&name, &ami, "us-east-1").await.assert_error(
            409,
            "ObjectNotFoundOnCloud",
            &format!("The image {ami} was not found on the cloud in us-east-1."),
        );
        // Not an AMI id at all: 400, as on the simulated cloud.
        let malformed = server.register("malformed", "not-an-ami", "us-east-1").await;
        assert_eq!(malformed.status.as_u16(), 400, "{}", malformed.json);

        // Deregistered behind the server's back: the copy reads the source again and answers 409.
        let registered = server.register(&name, &ami, "eu-west-1").await;
        let source = data(&registered, 201).clone();
        ec2_client(&config, "eu-west-1").deregister_image().image_id(&ami).send().await.expect("deregistered");
        server.copy(source["id"].as_str().unwrap(), "us-west-2").await.assert_error(
            409,
            "ObjectNotFoundOnCloud",
            &format!("The image {ami} was not found on the cloud in eu-west-1."),
        );
    }

    #[tokio::test]
    async fn a_delete_from_cloud_deregisters_the_ami() {
        let Some(moto) = moto_or_skip("delete from cloud") else { return };
        let (server, config) = moto_server(&moto).await;
        let name = unique_name("doomed");
        let ami = make_ami(&config, "us-east-1", &name).await;
        let registered = server.register(&name, &ami, "us-east-1").await;
        let id = data(&registered, 201)["id"].as_str().unwrap().to_owned();

        let deleted = server.send(Method::DELETE, &format!("{IMAGES}{id}/?deleteFromCloud=true"), None).await;
        assert_eq!(deleted.status.as_u16(), 200, "{}", deleted.json);
        assert!(describe(&config, "us-east-1", &ami).await.is_none(), "moto still has {ami}");
        // Deleted from the cloud, the image is forgotten.
        let read = server.send(Method::GET, &format!("{IMAGES}{id}/"), None).await;
        assert_eq!(read.status.as_u16(), 404, "{}", read.json);

        // Gone from the cloud, it cannot be registered again.
        server.register(&name, &ami, "us-east-1").await.assert_error(
            409,
            "ObjectNotFoundOnCloud",
            &format!("The image {ami} was not found on the cloud in us-east-1."),
        );
        // A plain delete leaves the AMI on the cloud.
        let kept = make_ami(&config, "us-east-1", &unique_name("kept")).await;
        let registered = server.register("kept", &kept, "us-east-1").await;
        let id = data(&registered, 201)["id"].as_str().unwrap().to_owned();
        let forgotten = server.send(Method::DELETE, &format!("{IMAGES}{id}/"), None).await;
        assert_eq!(forgotten.status.as_u16(), 200, "{}", forgotten.json);
        assert!(describe(&config, "us-east-1", &kept).await.is_some(), "a plain delete deregistered {kept}");
    }

    #[tokio::test]
    async fn the_follower_records_the_state_ec2_reports_for_each_copy() {
        let Some(moto) = moto_or_skip("copy follow-up") else { return };
        let (server, config) = moto_server(&moto).await;
        let name = unique_name("followed");
        let ami = make_ami(&config, "us-east-1", &name).await;
        let registered = server.register(&name, &ami, "us-east-1").await;
        let source = data(&registered, 201)["id"].as_str().unwrap().to_owned();
        let available = data(&server.copy(&source, "us-west-2").await, 201).clone();
        let lost = data(&server.copy(&source, "eu-central-1").await, 201).clone();
        let pending = server.database.store.pending_copies().await.expect("pending copies");
        assert_eq!(pending.len(), 2, "both copies are stored pending: {pending:?}");
        // The second copy's AMI disappears before the follower first looks.
        let lost_ami = lost["cloudImageId"].as_str().unwrap();
        ec2_client(&config, "eu-central-1").deregister_image().image_id(lost_ami).send().await.expect("deregistered");

        let mut follower = server.follower();
        assert_eq!(follower.check_due().await, Pass { polled: 2, settled: 2, pending: 0 });
        let read = |image: &Value| format!("{IMAGES}{}/", image["id"].as_str().unwrap());
        let available = server.send(Method::GET, &read(&available), None).await;
        let available = data(&available, 200);
        assert_eq!((available["status"].as_str(), &available["statusError"]), (Some("active"), &Value::Null));
        let lost = server.send(Method::GET, &read(&lost), None).await;
        let lost = data(&lost, 200);
        assert_eq!(lost["status"], "failed", "{lost}");
        let reason = format!("The copy {lost_ami} is no longer on the cloud in eu-central-1.");
        assert_eq!(lost["statusError"], reason.as_str(), "{lost}");
        assert!(server.database.store.pending_copies().await.expect("pending copies").is_empty());
    }

    /// The binary with `--cloud aws` on a database a previous run left a pending copy in: it
    /// follows the copy from its start. Runs only when the environment's SDK chain points at moto
    /// (`AWS_ENDPOINT_URL` = `SCALR_MOTO_URL`, as interop/moto.sh sets it), since the process
    /// configures itself from the environment.
    #[tokio::test]
    async fn the_server_resumes_following_pending_copies_after_a_restart() {
        let Some(moto) = moto_or_skip("resume after a restart") else { return };
        if std::env::var("AWS_ENDPOINT_URL").ok().as_deref() != Some(moto.as_str()) {
            eprintln!("skipped: AWS_ENDPOINT_URL is not {MOTO_URL}; the server process would not use moto");
            return;
        }
        let config = sdk_config(&moto).await;
        let database = DemoDatabase::new().await;
        let Some(path) = database.sqlite_path() else {
            eprintln!("skipped: the process test runs on SQLite");
            return;
        };
        // Two copies a stopped server left pending: one EC2 made, one it lost.
        let name = unique_name("resumed");
        let made = make_ami(&config, "us-west-2", &name).await;
        let demo = database.store.find_image(scalr_endpoints::EnvId::new(1).unwrap(), ubuntu()).await;
        let source = demo.expect("the store answers").expect("the demo's ubuntu image");
        let kept = source.copied_to("us-west-2".to_owned(), made.clone());
        let lost = source.copied_to("eu-west-1".to_owned(), "ami-0fedcba9876543210".to_owned());
        for copy in [&kept, &lost] {
            database.store.insert_copy(scalr_endpoints::EnvId::new(1).unwrap(), copy.clone()).await.expect("stored");
        }

        let log = database.dir.path().join("server.log");
        let server = ServerProcess::start(path, &log, &["--cloud", "aws", "--cloud-timeout", "5"]);
        assert!(server.printed.iter().any(|line| line.starts_with("cloud: EC2")), "{:?}", server.printed);
        let started = std::time::Instant::now();
        while !database.store.pending_copies().await.expect("pending copies").is_empty() {
            assert!(started.elapsed() < Duration::from_secs(20), "the copies are still pending; see {}", log.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let env = scalr_endpoints::EnvId::new(1).unwrap();
        let kept = database.store.find_image(env, kept.id).await.unwrap().expect("the kept copy");
        assert_eq!((kept.status, kept.status_error), (scalr_copy_server::images::ImageStatus::Active, None));
        let lost = database.store.find_image(env, lost.id).await.unwrap().expect("the lost copy");
        assert_eq!(lost.status, scalr_copy_server::images::ImageStatus::Failed);
        assert_eq!(
            lost.status_error.as_deref(),
            Some("The copy ami-0fedcba9876543210 is no longer on the cloud in eu-west-1.")
        );
        drop(server);
    }

    fn ubuntu() -> scalr_copy_server::images::ImageId {
        scalr_copy_server::images::ImageId(uuid::Uuid::parse_str("3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c").unwrap())
    }

    /// A server on an endpoint nothing listens on (a loopback port just closed): the register's
    /// `DescribeImages` cannot connect, and the client gets 503 in well under the time limit.
    #[tokio::test]
    async fn an_unreachable_endpoint_answers_503() {
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
            listener.local_addr().expect("an address")
        };
        let config = sdk_config(&format!("http://{closed}")).await;
        let ec2 = Ec2::new(config, Ec2Options { timeout: Duration::from_secs(2), attempts: 1 });
        let server = Server::start(Arc::new(ec2)).await;
        let started = std::time::Instant::now();
        let refused = server.register("unreachable", "ami-0123456789abcdef0", "us-east-1").await;
        refused.assert_error(503, "ServiceUnavailable", "The cloud is unavailable; try again later.");
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    /// An endpoint that never answers: the call's time limit ends it with 503.
    #[tokio::test]
    async fn a_silent_endpoint_answers_503_at_the_time_limit() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address");
        // Accepts connections and reads nothing.
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        });
        let config = sdk_config(&format!("http://{address}")).await;
        let ec2 = Ec2::new(config, Ec2Options { timeout: Duration::from_millis(500), attempts: 1 });
        let server = Server::start(Arc::new(ec2)).await;
        let started = std::time::Instant::now();
        let refused = server.register("silent", "ami-0123456789abcdef0", "us-east-1").await;
        refused.assert_error(503, "ServiceUnavailable", "The cloud is unavailable; try again later.");
        assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
        held.abort();
    }

    /// A stand-in for EC2 that answers every call with `status` and EC2's error `code`.
    async fn failing_endpoint(status: u16, code: &'static str) -> (String, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let address = listener.local_addr().expect("an address");
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code>\
             <Message>{code} from the test endpoint</Message></Error></Errors><RequestID>test</RequestID></Response>"
        );
        let status = axum::http::StatusCode::from_u16(status).expect("a status");
        let router = axum::Router::new().fallback(move || {
            let body = body.clone();
            async move { (status, [(axum::http::header::CONTENT_TYPE, "text/xml")], body) }
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        (format!("http://{address}"), task)
    }

    async fn register_against(status: u16, code: &'static str) -> Reply {
        let (endpoint, task) = failing_endpoint(status, code).await;
        let ec2 = Ec2::new(sdk_config(&endpoint).await, Ec2Options { timeout: Duration::from_secs(5), attempts: 1 });
        let server = Server::start(Arc::new(ec2)).await;
        let reply = server.register("refused", "ami-0123456789abcdef0", "us-east-1").await;
        task.abort();
        reply
    }

    #[tokio::test]
    async fn throttling_answers_503() {
        for (status, code) in [(503, "RequestLimitExceeded"), (400, "Throttling"), (503, "Unavailable")] {
            let reply = register_against(status, code).await;
            reply.assert_error(503, "ServiceUnavailable", "The cloud is unavailable; try again later.");
        }
    }

    #[tokio::test]
    async fn refused_credentials_and_other_errors_answer_500_without_the_sdks_words() {
        for (status, code) in [(401, "AuthFailure"), (403, "UnauthorizedOperation"), (400, "InvalidParameterValue")] {
            let reply = register_against(status, code).await;
            reply.assert_error(500, "InternalServerError", "Server Error");
            assert!(!String::from_utf8_lossy(&reply.raw).contains(code), "the SDK's error leaked: {}", reply.json);
        }
    }

    /// One run's timing for BENCHMARKS.md: `N` signed copies over HTTP on the simulated cloud and
    /// on moto, alternating, each server on its own SQLite demo database. Ignored by default:
    /// `cargo test --release --features aws --test aws_cloud -- --ignored --nocapture` (moto
    /// running, `SCALR_MOTO_URL` set).
    #[tokio::test]
    #[ignore = "a timing for BENCHMARKS.md, not a check"]
    async fn time_copies_on_the_simulated_cloud_and_on_moto() {
        const N: usize = 100;
        let Some(moto) = moto_or_skip("copy timing") else { return };
        let (on_moto, config) = moto_server(&moto).await;
        let simulated = Server::start(Arc::new(scalr_copy_server::cloud::SimulatedEc2)).await;
        let name = unique_name("timed");
        let ami = make_ami(&config, "us-east-1", &name).await;
        let mut sources = Vec::new();
        for server in [&simulated, &on_moto] {
            sources
                .push(data(&server.register(&name, &ami, "us-east-1").await, 201)["id"].as_str().unwrap().to_owned());
        }
        let mut times = [Vec::with_capacity(N), Vec::with_capacity(N)];
        for _ in 0..N {
            for (which, server) in [&simulated, &on_moto].into_iter().enumerate() {
                let started = std::time::Instant::now();
                let copied = server.copy(&sources[which], "us-west-2").await;
                times[which].push(started.elapsed());
                assert_eq!(copied.status.as_u16(), 201, "{}", copied.json);
            }
        }
        let mut medians = Vec::new();
        for (label, times) in ["simulated", "moto"].into_iter().zip(&mut times) {
            times.sort();
            let mean = times.iter().sum::<Duration>() / N as u32;
            let median = times[N / 2];
            println!(
                "{label:>9}: {N} copies, mean {mean:?}, median {median:?}, min {:?}, max {:?}",
                times[0],
                times[N - 1]
            );
            medians.push(median);
        }
        println!("median ratio moto / simulated: {:.1}", medians[1].as_secs_f64() / medians[0].as_secs_f64());
    }
}
