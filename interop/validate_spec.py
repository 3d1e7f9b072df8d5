"""Fetches the three specs a running server publishes and validates each as Swagger 2.0 with
openapi-spec-validator, after checking that every $ref resolves.

Usage: validate_spec.py URL
"""

import sys
import urllib.request

import yaml
from openapi_spec_validator import OpenAPIV2SpecValidator, validate


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


def main(url):
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
            print("{}: valid Swagger 2.0, {} paths, {} definitions".format(
                spec_url, len(spec["paths"]), len(spec["definitions"])))


def fail(reason):
    print("FAILED: " + reason)
    sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
