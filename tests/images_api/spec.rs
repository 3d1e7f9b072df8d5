//! What the user-scope spec says of the images objects: scalr-ctl builds its table columns from
//! the Image definition and its `--stdin` bodies from the body definitions, dropping read-only
//! properties.

use std::collections::BTreeSet;

use scalr_endpoints::{ApiObject, Scope};
use serde_json::Value;

use super::app;
use super::app::images::Image;

fn definitions() -> Value {
    app::api().spec(Scope::User)["definitions"].clone()
}

/// The names of the properties of `definition` for which `keyword` is `true`.
fn flagged(definition: &Value, keyword: &str) -> BTreeSet<String> {
    let properties = definition["properties"].as_object().expect("properties");
    properties
        .iter()
        .filter(|(_, property)| property[keyword] == Value::Bool(true))
        .map(|(name, _)| name.clone())
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn property_names(definition: &Value) -> BTreeSet<String> {
    definition["properties"].as_object().expect("properties").keys().cloned().collect()
}

fn required(definition: &Value) -> BTreeSet<String> {
    let required = definition["required"].as_array().map(Vec::as_slice).unwrap_or_default();
    required.iter().map(|name| name.as_str().expect("a property name").to_owned()).collect()
}

#[test]
fn the_image_definition_marks_read_only_and_create_only_properties() {
    let image = &definitions()["Image"];
    assert_eq!(property_names(image).len(), 18, "{image}");
    assert_eq!(
        flagged(image, "readOnly"),
        set(&["id", "added", "lastUsed", "deprecated", "source", "status", "statusError", "scope"])
    );
    assert_eq!(flagged(image, "x-createOnly"), set(&["scalrAgentInstalled", "cloudInitInstalled"]));
    for (name, property) in image["properties"].as_object().unwrap() {
        assert!(property["description"].as_str().is_some_and(|text| !text.is_empty()), "{name} has a description");
    }
    let filterable: Vec<&str> = image["x-filterable"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(filterable, Image::FILTERABLE);
}

#[test]
fn the_body_definitions_list_every_property_a_client_may_send() {
    let definitions = definitions();
    let new_image = &definitions["NewImage"];
    assert_eq!(
        property_names(new_image),
        set(&[
            "name",
            "cloudImageId",
            "cloudPlatform",
            "cloudLocation",
            "architecture",
            "os",
            "size",
            "type",
            "scalrAgentInstalled",
            "cloudInitInstalled",
        ])
    );
    assert_eq!(required(new_image), set(&["name", "cloudImageId", "cloudPlatform", "architecture", "os"]));
    assert_eq!(flagged(new_image, "readOnly"), BTreeSet::new());
    assert_eq!(flagged(new_image, "x-createOnly"), set(&["scalrAgentInstalled", "cloudInitInstalled"]));

    let changes = &definitions["ImageChanges"];
    assert_eq!((property_names(changes), required(changes)), (set(&["name"]), set(&["name"])));
    assert_eq!(property_names(&definitions["CloudLocation"]), set(&["cloudLocation", "cloudPlatform"]));

    let paths = &app::api().spec(Scope::User)["paths"];
    let body_of = |path: &str, method: &str| {
        let parameters = paths[path][method]["parameters"].as_array().expect("parameters").clone();
        parameters.into_iter().find(|parameter| parameter["in"] == "body").expect("a body parameter")["schema"]["$ref"]
            .clone()
    };
    assert_eq!(body_of("/{envId}/images/", "post"), "#/definitions/NewImage");
    assert_eq!(body_of("/{envId}/images/{imageId}/", "patch"), "#/definitions/ImageChanges");
    assert_eq!(body_of("/{envId}/images/{imageId}/actions/copy/", "post"), "#/definitions/CloudLocation");
}
