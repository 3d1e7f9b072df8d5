"""Drives the explorer's copy page in headless Chromium (the distribution's package, through
its chromedriver; nothing downloads a browser): fills in the demo key the server printed and a
destination region, presses Send, and expects 201 with the new image's id; then a same-region
copy, expecting the BadRequest envelope, with debug on so that the string the page signed can
be compared with the one the server verified. Saves a screenshot and prints its path.

Usage: browser_check.py URL KEY_ID SECRET ENV_ID IMAGE_ID SOURCE_REGION SCREENSHOT
"""

import json
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def fail(reason):
    print("FAILED: " + reason)
    sys.exit(1)


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,2400",
        "--user-data-dir=" + profile,
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def fill(driver, element_id, text):
    element = driver.find_element(By.ID, element_id)
    element.clear()
    element.send_keys(text)


def send(driver, body, debug=False):
    """Presses Send with `body` and waits for the answer: (status text, body JSON, page's string to sign)."""
    fill(driver, "try-body", body)
    checkbox = driver.find_element(By.ID, "try-debug")
    if checkbox.is_selected() != debug:
        checkbox.click()
    state = driver.find_element(By.ID, "try-state")
    driver.execute_script("arguments[0].dataset.phase = 'waiting'", state)
    driver.find_element(By.ID, "try-send").click()
    WebDriverWait(driver, 20).until(lambda _: state.get_attribute("data-phase") in ("done", "error"))
    if state.get_attribute("data-phase") != "done":
        fail("the page did not get an answer: " + state.text)
    status = driver.find_element(By.ID, "try-status").text
    headers = driver.find_element(By.ID, "try-headers").text
    if "x-request-id" not in headers.lower():
        fail("the response headers are not shown: " + headers)
    text = driver.find_element(By.ID, "try-response").text
    try:
        envelope = json.loads(text)
    except ValueError:
        fail("the response body is not JSON: " + text)
    return status, envelope, driver.find_element(By.ID, "try-string-to-sign").text


def main(url, key_id, secret, env_id, image_id, source_region, screenshot):
    destination = "us-west-2" if source_region != "us-west-2" else "eu-west-1"
    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        try:
            driver.get(url + "/api/docs/")
            links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "ul.actions a")]
            copy_page = [link for link in links if link.endswith("/api/docs/user/copy_image/")]
            if not copy_page:
                fail("the index does not link the copy page: {}".format(links))
            driver.get(copy_page[0])
            if driver.find_element(By.TAG_NAME, "h1").text != "Images / Actions: Copy":
                fail("unexpected title " + driver.find_element(By.TAG_NAME, "h1").text)
            fill(driver, "param-envId", env_id)
            fill(driver, "param-imageId", image_id)
            fill(driver, "try-key-id", key_id)
            fill(driver, "try-secret", secret)

            body = json.dumps({"cloudLocation": destination, "cloudPlatform": "ec2"})
            status, envelope, _ = send(driver, body)
            if not status.startswith("201"):
                fail("the copy answered {}: {}".format(status, envelope))
            copy = envelope.get("data") or {}
            if not copy.get("id") or copy["id"] == image_id or copy.get("cloudLocation") != destination:
                fail("the copy is not a new image in {}: {}".format(destination, envelope))
            print("copy: {} -> new image {} in {}".format(status, copy["id"], destination))
            shown = driver.find_element(By.ID, "try-response").text
            if copy["id"] not in shown:
                fail("the page does not show the new image's id")
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1280, min(int(height) + 100, 8000))
            driver.save_screenshot(screenshot)

            same = json.dumps({"cloudLocation": source_region, "cloudPlatform": "ec2"})
            status, envelope, signed = send(driver, same, debug=True)
            expected = [{"code": "BadRequest", "message": "Destination region is the same as source one"}]
            if not status.startswith("400") or envelope.get("errors") != expected:
                fail("the same-region copy answered {}: {}".format(status, envelope))
            if envelope.get("meta", {}).get("stringToSign") != signed:
                fail("the page signed {!r}, the server verified {!r}".format(signed, envelope.get("meta")))
            print("same-region copy: {} {}".format(status, envelope["errors"][0]["code"]))

            # A GET with a query: the page signs the canonical query the server computes.
            driver.get(url + "/api/docs/user/list_images/")
            fill(driver, "param-envId", env_id)
            fill(driver, "try-query", "pageNum=1&name=centos-7-web&maxResults=2")
            state = driver.find_element(By.ID, "try-state")
            driver.find_element(By.ID, "try-send").click()
            WebDriverWait(driver, 20).until(lambda _: state.get_attribute("data-phase") in ("done", "error"))
            status = driver.find_element(By.ID, "try-status").text
            listed = json.loads(driver.find_element(By.ID, "try-response").text or "{}")
            names = [image.get("name") for image in listed.get("data") or []]
            if not status.startswith("200") or names != ["centos-7-web"]:
                fail("the filtered list answered {}: {}".format(status, listed))
            print("list with a query: {} {}".format(status, names))

            violations = [entry["message"] for entry in driver.get_log("browser")
                          if "Content Security Policy" in entry.get("message", "")]
            if violations:
                fail("the page broke its Content-Security-Policy: {}".format(violations))
            try:
                remembered = driver.execute_script("return sessionStorage.getItem('scalr-explorer-secret')")
                local = driver.execute_script("return Object.keys(localStorage)")
            except Exception as error:  # noqa: BLE001 - reported, not hidden
                fail("cannot read the page's storage: {}".format(error))
            if remembered != secret or local:
                fail("the secret is kept somewhere other than session storage")
        finally:
            driver.quit()
    print("screenshot: " + screenshot)


if __name__ == "__main__":
    main(*sys.argv[1:])
