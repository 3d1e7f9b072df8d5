"""Fetches the three specs a running server publishes and validates each as Swagger 2.0 with
openapi-spec-validator, after checking that every $ref resolves; then the same for the three
OpenAPI 3.1 documents (JSON and YAML), and that they hold the Swagger documents' operations.

Usage: validate_spec.py URL
"""

import sys
import urllib.request

import yaml
import json

from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV31SpecValidator, validate


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def fetch(url, parse):
    with urllib.request.urlopen(url) as response:
        if response.status != 200:
            fail("{} answered {}".format(url, response.status))
        return parse(response.read())


def operations(spec):
    return sorted((path, method, operation.get("operationId"))
                  for path, item in spec["paths"].items()
                  for method, operation in item.items() if method != "parameters")


def validate_openapi(url, swagger):
    for scope in ("user", "account", "global"):
        documents = [fetch("{}/api/{}.v1beta0.openapi.{}".format(url, scope, extension), parse)
                     for extension, parse in (("json", json.loads), ("yml", yaml.safe_load))]
        if documents[0] != documents[1]:
            fail("{}: the OpenAPI JSON and YAML differ".format(scope))
        spec = documents[0]
        if spec.get("openapi") != "3.1.0":
            fail("{}: openapi is {!r}".format(scope, spec.get("openapi")))
        schemas = spec.get("components", {}).get("schemas", {})
        for ref in refs(spec):
            name = ref[len("#/components/schemas/"):]
            if not ref.startswith("#/components/schemas/") or name not in schemas:
                fail("{} OpenAPI: {} does not resolve".format(scope, ref))
        validate(spec, cls=OpenAPIV31SpecValidator)
        if operations(spec) != operations(swagger[scope]):
            fail("{}: the OpenAPI operations differ from the Swagger ones".format(scope))
        print("{}/api/{}.v1beta0.openapi.json: valid OpenAPI 3.1, {} operations as in Swagger 2.0, {} schemas".format(
            url, scope, len(operations(spec)), len(schemas)))


def main(url):
    swagger = {}
    for scope in ("user", "account", "global"):
        for extension in ("yml", "yaml"):
            spec_url = "{}/api/{}.v1beta0.{}".format(url, scope, extension)
            with urllib.request.urlopen(spec_url) as response:
                if response.status != 200:
                    fail("{} answered {}".format(spec_url, response.status))
                spec = yaml.safe_load(response.read())
            for ref in refs(spec):
                name = ref[len("#/definitions/"):]
                if not ref.startswith("#/definitions/") or name not in spec.get("definitions", {}):
                    fail("{}: {} does not resolve".format(spec_url, ref))
            validate(spec, cls=OpenAPIV2SpecValidator)
            swagger[scope] = spec
            print("{}: valid Swagger 2.0, {} paths, {} definitions".format(
                spec_url, len(spec["paths"]), len(spec["definitions"])))
    validate_openapi(url, swagger)


def fail(reason):
    print("FAILED: " + reason)
    sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
