//! How long building the specs takes: 200 declared actions (with bodies, objects, lists and
//! several placeholders), all three scopes, documents and YAML.
//!
//! ```text
//! cargo bench --bench spec
//! ```

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use scalr_endpoints::Scope;
use scalr_endpoints::prelude::*;

#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Server {
    /// The server's id.
    id: String,
    /// Its farm.
    farm_id: u64,
    /// Its status.
    status: Status,
    /// Its tags.
    tags: Vec<String>,
}

impl ApiObject for Server {
    const FILTERABLE: &'static [&'static str] = &["id", "farmId", "status"];
}

#[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Status {
    /// Running.
    Running,
    /// Stopped.
    Stopped,
}

/// Declares actions in groups of four: a list, a get, a create and a delete per resource.
macro_rules! resources {
    ($($list:ident $get:ident $create:ident $delete:ident $collection:literal $item:literal;)*) => {$(
        /// List the resources.
        #[scalr_action(get, $collection)]
        async fn $list(farm_id: u64, paging: Paging) -> Page<Server> {
            let _ = farm_id;
            paging.page(Vec::new())
        }

        /// Get a resource.
        #[scalr_action(get, $item, errors = [ObjectNotFound])]
        async fn $get(farm_id: u64, server_id: String) -> Result<Server, ApiError> {
            Err(ApiError::new(ErrorCode::ObjectNotFound, format!("{farm_id}/{server_id}")))
        }

        /// Create a resource.
        #[scalr_action(post, $collection, errors = [UnicityViolation])]
        async fn $create(farm_id: u64, server: Body<Server>) -> Result<Server, ApiError> {
            let _ = farm_id;
            Ok(server.0)
        }

        /// Delete a resource.
        #[scalr_action(delete, $item, errors = [ObjectNotFound, ObjectInUse])]
        async fn $delete(farm_id: u64, server_id: String) -> Result<(), ApiError> {
            let _ = (farm_id, server_id);
            Ok(())
        }
    )*
    fn api() -> ScalrApi {
        ScalrApi::new()$(.action($list {}).action($get {}).action($create {}).action($delete {}))*
    }};
}

resources! {
    l00 g00 c00 d00 "farms/<farmId>/r00/" "farms/<farmId>/r00/<serverId>/";
    l01 g01 c01 d01 "farms/<farmId>/r01/" "farms/<farmId>/r01/<serverId>/";
    l02 g02 c02 d02 "farms/<farmId>/r02/" "farms/<farmId>/r02/<serverId>/";
    l03 g03 c03 d03 "farms/<farmId>/r03/" "farms/<farmId>/r03/<serverId>/";
    l04 g04 c04 d04 "farms/<farmId>/r04/" "farms/<farmId>/r04/<serverId>/";
    l05 g05 c05 d05 "farms/<farmId>/r05/" "farms/<farmId>/r05/<serverId>/";
    l06 g06 c06 d06 "farms/<farmId>/r06/" "farms/<farmId>/r06/<serverId>/";
    l07 g07 c07 d07 "farms/<farmId>/r07/" "farms/<farmId>/r07/<serverId>/";
    l08 g08 c08 d08 "farms/<farmId>/r08/" "farms/<farmId>/r08/<serverId>/";
    l09 g09 c09 d09 "farms/<farmId>/r09/" "farms/<farmId>/r09/<serverId>/";
    l10 g10 c10 d10 "farms/<farmId>/r10/" "farms/<farmId>/r10/<serverId>/";
    l11 g11 c11 d11 "farms/<farmId>/r11/" "farms/<farmId>/r11/<serverId>/";
    l12 g12 c12 d12 "farms/<farmId>/r12/" "farms/<farmId>/r12/<serverId>/";
    l13 g13 c13 d13 "farms/<farmId>/r13/" "farms/<farmId>/r13/<serverId>/";
    l14 g14 c14 d14 "farms/<farmId>/r14/" "farms/<farmId>/r14/<serverId>/";
    l15 g15 c15 d15 "farms/<farmId>/r15/" "farms/<farmId>/r15/<serverId>/";
    l16 g16 c16 d16 "farms/<farmId>/r16/" "farms/<farmId>/r16/<serverId>/";
    l17 g17 c17 d17 "farms/<farmId>/r17/" "farms/<farmId>/r17/<serverId>/";
    l18 g18 c18 d18 "farms/<farmId>/r18/" "farms/<farmId>/r18/<serverId>/";
    l19 g19 c19 d19 "farms/<farmId>/r19/" "farms/<farmId>/r19/<serverId>/";
    l20 g20 c20 d20 "farms/<farmId>/r20/" "farms/<farmId>/r20/<serverId>/";
    l21 g21 c21 d21 "farms/<farmId>/r21/" "farms/<farmId>/r21/<serverId>/";
    l22 g22 c22 d22 "farms/<farmId>/r22/" "farms/<farmId>/r22/<serverId>/";
    l23 g23 c23 d23 "farms/<farmId>/r23/" "farms/<farmId>/r23/<serverId>/";
    l24 g24 c24 d24 "farms/<farmId>/r24/" "farms/<farmId>/r24/<serverId>/";
    l25 g25 c25 d25 "farms/<farmId>/r25/" "farms/<farmId>/r25/<serverId>/";
    l26 g26 c26 d26 "farms/<farmId>/r26/" "farms/<farmId>/r26/<serverId>/";
    l27 g27 c27 d27 "farms/<farmId>/r27/" "farms/<farmId>/r27/<serverId>/";
    l28 g28 c28 d28 "farms/<farmId>/r28/" "farms/<farmId>/r28/<serverId>/";
    l29 g29 c29 d29 "farms/<farmId>/r29/" "farms/<farmId>/r29/<serverId>/";
    l30 g30 c30 d30 "farms/<farmId>/r30/" "farms/<farmId>/r30/<serverId>/";
    l31 g31 c31 d31 "farms/<farmId>/r31/" "farms/<farmId>/r31/<serverId>/";
    l32 g32 c32 d32 "farms/<farmId>/r32/" "farms/<farmId>/r32/<serverId>/";
    l33 g33 c33 d33 "farms/<farmId>/r33/" "farms/<farmId>/r33/<serverId>/";
    l34 g34 c34 d34 "farms/<farmId>/r34/" "farms/<farmId>/r34/<serverId>/";
    l35 g35 c35 d35 "farms/<farmId>/r35/" "farms/<farmId>/r35/<serverId>/";
    l36 g36 c36 d36 "farms/<farmId>/r36/" "farms/<farmId>/r36/<serverId>/";
    l37 g37 c37 d37 "farms/<farmId>/r37/" "farms/<farmId>/r37/<serverId>/";
    l38 g38 c38 d38 "farms/<farmId>/r38/" "farms/<farmId>/r38/<serverId>/";
    l39 g39 c39 d39 "farms/<farmId>/r39/" "farms/<farmId>/r39/<serverId>/";
    l40 g40 c40 d40 "farms/<farmId>/r40/" "farms/<farmId>/r40/<serverId>/";
    l41 g41 c41 d41 "farms/<farmId>/r41/" "farms/<farmId>/r41/<serverId>/";
    l42 g42 c42 d42 "farms/<farmId>/r42/" "farms/<farmId>/r42/<serverId>/";
    l43 g43 c43 d43 "farms/<farmId>/r43/" "farms/<farmId>/r43/<serverId>/";
    l44 g44 c44 d44 "farms/<farmId>/r44/" "farms/<farmId>/r44/<serverId>/";
    l45 g45 c45 d45 "farms/<farmId>/r45/" "farms/<farmId>/r45/<serverId>/";
    l46 g46 c46 d46 "farms/<farmId>/r46/" "farms/<farmId>/r46/<serverId>/";
    l47 g47 c47 d47 "farms/<farmId>/r47/" "farms/<farmId>/r47/<serverId>/";
    l48 g48 c48 d48 "farms/<farmId>/r48/" "farms/<farmId>/r48/<serverId>/";
    l49 g49 c49 d49 "farms/<farmId>/r49/" "farms/<farmId>/r49/<serverId>/";
}

fn specs(c: &mut Criterion) {
    let api = api();
    assert_eq!(api.actions().count(), 200);
    c.bench_function("documents_of_200_actions", |b| {
        b.iter(|| {
            for scope in Scope::ALL {
                std::hint::black_box(api.spec(scope));
            }
        })
    });
    c.bench_function("specs_of_200_actions", |b| {
        b.iter(|| {
            for scope in Scope::ALL {
                let spec = api.spec(scope);
                std::hint::black_box(yaml_serde::to_string(&spec).expect("a spec serialises"));
            }
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = specs
}
criterion_main!(benches);
