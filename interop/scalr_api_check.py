"""Drives the real scalr-api library against a running server: copy, get, a list that follows
pagination.next to the end, and scalr-api's own paging with parameters and filters.

Usage: scalr_api_check.py URL KEY_ID SECRET ENV_ID IMAGE_ID
Any client error (scalr-api raises on non-2xx, after logging each error) fails the check.
"""

import logging
import sys

from scalr import ScalrUserAPI


def main(url, key_id, secret, env_id, image_id):
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    api = ScalrUserAPI(url, key_id, secret, env_id=env_id)

    copy_url = "/api/v1beta0/user/{}/images/{}/actions/copy/".format(env_id, image_id)
    copy = api.post(copy_url, json={"cloudLocation": "ap-south-1", "cloudPlatform": "ec2"})
    print("copied {} to {} as {}".format(image_id, copy["cloudLocation"], copy["id"]))
    if copy["cloudLocation"] != "ap-south-1" or not copy["cloudImageId"].startswith("ami-"):
        fail("the copy is not as documented: {}".format(copy))

    fetched = api.image_get(copy["id"])
    if fetched != copy:
        fail("image_get returned {} instead of the copy".format(fetched))
    print("image_get returned the copy")

    everything = api.image_list()
    pages = []
    path = "/api/v1beta0/user/{}/images/?maxResults=2".format(env_id)
    paged = []
    while path is not None:
        body = api.session.get(path).json()
        pages.append(len(body["data"]))
        paged.extend(body["data"])
        path = body["pagination"]["next"]
    print("followed pagination.next over {} pages of {}".format(len(pages), pages))
    if len(pages) < 2:
        fail("the list did not span several pages")
    if [image["id"] for image in paged] != [image["id"] for image in everything]:
        fail("paging by two did not give the same images as one page")
    if not any(image["id"] == copy["id"] for image in paged):
        fail("the copy is missing from the list")
    listed = api.list("/api/v1beta0/user/{}/images/?maxResults=3".format(env_id))
    if len(listed) != len(everything):
        fail("scalr-api's own list() following next lost images")
    # scalr-api's own paging re-sends its parameters beside every `next` link and signs the
    # query with the duplicates kept (docs/wire-contract.md#d8-both-canonical-query-forms).
    one_by_one = api.image_list(maxResults=1)
    if [image["id"] for image in one_by_one] != [image["id"] for image in everything]:
        fail("image_list(maxResults=1) did not list every image")
    print("image_list(maxResults=1) followed {} pages".format(len(one_by_one)))
    ec2_east = api.image_list(maxResults=1, cloudPlatform="ec2", cloudLocation="us-east-1")
    expected = [image["id"] for image in everything if image["cloudLocation"] == "us-east-1"]
    if len(expected) < 2 or [image["id"] for image in ec2_east] != expected:
        fail("the filtered list across pages gave {} instead of {}".format(ec2_east, expected))
    print("image_list(maxResults=1, cloudPlatform=ec2, cloudLocation=us-east-1) followed {} pages".format(len(ec2_east)))
    print("scalr-api: copy, get and list following pagination.next all behave")


def fail(reason):
    print("FAILED: " + reason)
    sys.exit(1)


if __name__ == "__main__":
    main(*sys.argv[1:])
