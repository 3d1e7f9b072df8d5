"""Drives the real scalr-ctl against a running server: update, images list, images get,
images copy --stdin, and an error case whose code scalr-ctl must show.

Usage: scalr_ctl_check.py HOST:PORT KEY_ID SECRET ENV_ID IMAGE_ID
Exits non-zero, saying why, on the first thing that is not as expected.
"""

import json
import os
import subprocess
import sys
import tempfile


def main(host, key_id, secret, env_id, image_id):
    home = tempfile.mkdtemp(prefix="scalr-ctl-")
    with open(os.path.join(home, "default.yaml"), "w") as config:
        config.write(
            "API_HOST: {}\nAPI_SCHEME: http\nAPI_KEY_ID: {}\nAPI_SECRET_KEY: {}\n"
            "envId: '{}'\nview: json\ncolored_output: false\n".format(host, key_id, secret, env_id)
        )
    env = dict(os.environ, SCALRCLI_HOME=home)
    scalr_ctl = os.path.join(os.path.dirname(sys.executable), "scalr-ctl")

    def run(*args, stdin=None, expect_ok=True):
        print("$ scalr-ctl " + " ".join(args))
        result = subprocess.run([scalr_ctl, *args], input=stdin, env=env, capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        print(output if len(output) < 2000 else output[:2000] + " ...")
        if "Traceback" in output:
            fail("scalr-ctl crashed")
        if expect_ok and result.returncode != 0:
            fail("scalr-ctl exited with {}".format(result.returncode))
        if not expect_ok and result.returncode == 0:
            fail("scalr-ctl reported success for a request that must fail")
        return output

    def envelope(output):
        try:
            body = json.loads(output)
        except ValueError:
            fail("scalr-ctl did not print a JSON envelope")
        if body.get("errors"):
            fail("the server reported errors: {}".format(body["errors"]))
        return body["data"]

    output = run("update")
    if output.count("Done") != 3:
        fail("scalr-ctl could not fetch all three specs")
    run("images", "--help")
    listed = envelope(run("images", "list"))
    if not any(image["id"] == image_id for image in listed):
        fail("the source image is not listed")
    got = envelope(run("images", "get", "--imageId", image_id))
    if got["id"] != image_id:
        fail("images get returned another image")
    copy = envelope(
        run("images", "copy", "--imageId", image_id, "--stdin",
            stdin=json.dumps({"cloudLocation": "eu-north-1", "cloudPlatform": "ec2"}))
    )
    if copy["cloudLocation"] != "eu-north-1" or copy["name"] != got["name"]:
        fail("the copy is not the source image in eu-north-1: {}".format(copy))
    same_region = json.dumps({"cloudLocation": got["cloudLocation"], "cloudPlatform": "ec2"})
    output = run("images", "copy", "--imageId", image_id, "--stdin", stdin=same_region, expect_ok=False)
    if "BadRequest" not in output or "Destination region is the same as source one" not in output:
        fail("scalr-ctl did not show the error code and message")
    listed = envelope(run("images", "list"))
    if not any(image["id"] == copy["id"] for image in listed):
        fail("the copy is missing from the list")
    print("scalr-ctl: update, list, get, copy and the error case all behave")


def fail(reason):
    print("FAILED: " + reason)
    sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
