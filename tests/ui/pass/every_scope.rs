use scalr_endpoints::prelude::*;

/// List images of an environment.
#[scalr_action(get, "images/")]
async fn user_images(env_id: EnvId) -> Result<(), ApiError> {
    let _ = env_id;
    Ok(())
}

/// List images of the account.
#[scalr_action(get, "images/", scope = account)]
async fn account_images() -> Result<(), ApiError> {
    Ok(())
}

/// List images shared by Scalr.
#[scalr_action(get, "images/", scope = global)]
async fn global_images() -> Result<(), ApiError> {
    Ok(())
}

/// The user scope, said explicitly.
#[scalr_action(get, "roles/", scope = user)]
async fn user_roles() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let api = ScalrApi::<()>::new()
        .action(user_images {})
        .action(account_images {})
        .action(global_images {})
        .action(user_roles {});
    let paths: Vec<&str> = api.actions().map(|meta| meta.path).collect();
    assert_eq!(
        paths,
        [
            "/api/v1beta0/user/{envId}/images",
            "/api/v1beta0/account/images",
            "/api/v1beta0/global/images",
            "/api/v1beta0/user/{envId}/roles",
        ]
    );
    let _router = api.try_into_router().expect("three scopes do not clash");
}
