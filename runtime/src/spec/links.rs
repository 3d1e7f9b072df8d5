//! The links between operations (`x-links` on a success response, OpenAPI's `links`): from an
//! action that returns an object to the actions of that object's id, so that a client or a
//! stateful tester knows which response value fills which path parameter.
//!
//! An object's collection is the path of an action returning a page of it (`/{envId}/images/`);
//! its actions are those whose path goes on with one placeholder, the object's id
//! (`/{envId}/images/{imageId}/...`). Every action returning the object links to each of them:
//! the id from the response's `data` (the first item's, for a page), the other path parameters
//! from the request's own path.

use serde_json::{Map, Value, json};

use super::DataSpec;

/// What the links need of one operation of a scope.
pub(crate) struct Linked {
    /// The spec path, e.g. `/{envId}/images/{imageId}/`.
    pub(crate) path: String,
    /// The operation's key in the path item, e.g. `get`.
    pub(crate) method: String,
    pub(crate) operation_id: &'static str,
    pub(crate) status: u16,
    pub(crate) data: DataSpec,
}

/// Adds `x-links` to the success responses of `operations` in `paths`.
pub(crate) fn add(paths: &mut Map<String, Value>, operations: &[Linked]) {
    for source in operations {
        let (object, id) = match &source.data {
            DataSpec::Object(object) => (object, "$response.body#/data/id"),
            DataSpec::List(object) => (object, "$response.body#/data/0/id"),
            DataSpec::Empty => continue,
        };
        let collections =
            operations.iter().filter(|list| matches!(&list.data, DataSpec::List(listed) if listed.name == object.name));
        let mut links = Map::new();
        for collection in collections.map(|list| list.path.as_str()) {
            for target in operations {
                let Some(parameters) = parameters(collection, source, target, id) else { continue };
                links.insert(
                    target.operation_id.to_owned(),
                    json!({ "operationId": target.operation_id, "parameters": parameters }),
                );
            }
        }
        if links.is_empty() {
            continue;
        }
        let response = paths.get_mut(&source.path).and_then(|item| item.get_mut(&source.method));
        if let Some(response) =
            response.and_then(|operation| operation.pointer_mut(&format!("/responses/{}", source.status)))
        {
            response["x-links"] = Value::Object(links);
        }
    }
}

/// The parameters of a link from `source` to `target`, when `target` is an action of an object
/// of the `collection`: its id from `id`, its other path parameters from `source`'s path.
fn parameters(collection: &str, source: &Linked, target: &Linked, id: &str) -> Option<Map<String, Value>> {
    let rest = target.path.strip_prefix(collection)?;
    let id_name = rest.strip_prefix('{')?.split_once('}')?.0;
    let mut parameters = Map::new();
    for name in placeholders(&target.path) {
        if name == id_name {
            parameters.insert(name.to_owned(), id.into());
        } else if placeholders(&source.path).any(|known| known == name) {
            parameters.insert(name.to_owned(), format!("$request.path.{name}").into());
        } else {
            return None;
        }
    }
    Some(parameters)
}

/// The names of a spec path's `{placeholders}`.
fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}
