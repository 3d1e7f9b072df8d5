use scalr_endpoints::prelude::*;

/// A server id of the form `i-<hex>`.
struct ServerId(String);

impl PathParam for ServerId {
    const SPEC: PathParamSpec =
        PathParamSpec { swagger_type: "string", pattern: Some("^i-[0-9a-f]+$"), description: "The ID of a Server." };

    fn from_segment(segment: &str) -> Option<Self> {
        let hex = segment.strip_prefix("i-")?;
        (!hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| ServerId(segment.to_owned()))
    }
}

/// Get a server of a farm role.
#[scalr_action(get, "farms/<farmId>/farm-roles/<farmRoleId>/servers/<serverId>/")]
async fn get_server(farm_role_id: u64, server_id: ServerId, env_id: EnvId, farm_id: u32) -> Result<(), ApiError> {
    let _ = (farm_id, farm_role_id, server_id.0, env_id);
    Ok(())
}

/// Get a named thing.
#[scalr_action(get, "things/<thingName>/<version>", scope = global)]
async fn get_thing(thing_name: String, version: uuid::Uuid) -> Result<(), ApiError> {
    let _ = (thing_name, version);
    Ok(())
}

fn main() {
    let api = ScalrApi::<()>::new().action(get_server {}).action(get_thing {});
    let names: Vec<Vec<&str>> = api.actions().map(|meta| meta.path_params.iter().map(|p| p.name).collect()).collect();
    assert_eq!(names, [vec!["farmId", "farmRoleId", "serverId"], vec!["thingName", "version"]]);
    assert_eq!(api.actions().next().unwrap().path_params[2].spec.pattern, Some("^i-[0-9a-f]+$"));
    let _router = api.try_into_router().expect("valid routes");
}
