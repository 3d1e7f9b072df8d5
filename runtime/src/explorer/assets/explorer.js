// The API explorer's script: signs and sends the "Try it out!" request.
//
// The signing half is the wire contract's V1-HMAC-SHA256, written to compute exactly what the
// server computes (runtime/src/auth/signature.rs and query.rs): a test of the crate runs these
// functions under node against the Rust signer. It touches no page and is exported for node.
"use strict";

const ScalrSigning = (function () {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder("utf-8");

  // The characters Rust's `char::is_whitespace` removes from the date.
  const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;

  function hexDigit(byte) {
    if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
    if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
    if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
    return -1;
  }

  // One name or value of an `application/x-www-form-urlencoded` query: `+` is a space, `%XX`
  // a byte (a `%` not followed by two hex digits stays), the bytes read as UTF-8 with
  // replacement characters for what is not.
  function decodeComponent(text) {
    const bytes = encoder.encode(text);
    const out = [];
    for (let i = 0; i < bytes.length; i += 1) {
      const byte = bytes[i];
      if (byte === 0x2b) {
        out.push(0x20);
      } else if (byte === 0x25 && i + 2 < bytes.length && hexDigit(bytes[i + 1]) >= 0 && hexDigit(bytes[i + 2]) >= 0) {
        out.push(hexDigit(bytes[i + 1]) * 16 + hexDigit(bytes[i + 2]));
        i += 2;
      } else {
        out.push(byte);
      }
    }
    return decoder.decode(new Uint8Array(out));
  }

  // RFC 3986: unreserved characters kept, every other byte of the UTF-8 as upper-case `%XX`.
  function encodeComponent(text) {
    let out = "";
    for (const byte of encoder.encode(text)) {
      const unreserved =
        (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) ||
        byte === 0x2d || byte === 0x5f || byte === 0x2e || byte === 0x7e;
      out += unreserved ? String.fromCharCode(byte) : "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return out;
  }

  // Byte order of the UTF-8 forms, as the server sorts keys.
  function compareBytes(a, b) {
    const x = encoder.encode(a);
    const y = encoder.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      if (x[i] !== y[i]) return x[i] - y[i];
    }
    return x.length - y.length;
  }

  // The canonical query: decoded, the last value of a repeated key kept, sorted by key,
  // re-encoded, joined with `&`; empty for no query.
  function canonicalQuery(raw) {
    const values = new Map();
    for (const pair of (raw || "").split("&")) {
      if (pair === "") continue;
      const equals = pair.indexOf("=");
      const name = equals < 0 ? pair : pair.slice(0, equals);
      const value = equals < 0 ? "" : pair.slice(equals + 1);
      values.set(decodeComponent(name), decodeComponent(value));
    }
    return Array.from(values.keys())
      .sort(compareBytes)
      .map((name) => encodeComponent(name) + "=" + encodeComponent(values.get(name)))
      .join("&");
  }

  // The five lines a request is signed over.
  function stringToSign(method, date, path, query, body) {
    const upper = method.replace(/[a-z]/g, (c) => c.toUpperCase());
    return [upper, date.replace(WHITESPACE, ""), path, canonicalQuery(query), body || ""].join("\n");
  }

  // The base64 HMAC-SHA256 of `message` under `secret`, both as UTF-8.
  async function sign(secret, message) {
    const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
    let binary = "";
    for (const byte of mac) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  return { canonicalQuery, stringToSign, sign };
})();

if (typeof module === "object" && module.exports) {
  module.exports = ScalrSigning;
}

if (typeof document === "object") {
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("try-form");
    if (!form) return;
    const field = (id) => document.getElementById(id);
    const keyId = field("try-key-id");
    const secret = field("try-secret");
    const state = field("try-state");
    const KEY_ID = "scalr-explorer-key-id";
    const SECRET = "scalr-explorer-secret";
    try {
      keyId.value = sessionStorage.getItem(KEY_ID) || "";
      secret.value = sessionStorage.getItem(SECRET) || "";
    } catch (_) {
      // No session storage: the fields start empty.
    }

    function show(stateText, phase) {
      state.textContent = stateText;
      state.dataset.phase = phase;
    }

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (!(window.crypto && crypto.subtle)) {
        show("This page can only sign requests in a secure context: open it over https or on localhost.", "error");
        return;
      }
      try {
        sessionStorage.setItem(KEY_ID, keyId.value);
        sessionStorage.setItem(SECRET, secret.value);
      } catch (_) {
        // Not kept: the fields still hold them.
      }
      const method = form.dataset.method;
      const path = form.dataset.path.replace(/\{([^}]+)\}/g, function (_, name) {
        const input = form.querySelector('[data-path-param="' + name + '"]');
        return encodeURIComponent(input ? input.value.trim() : "");
      });
      const query = field("try-query").value.trim().replace(/^\?/, "");
      const url = new URL(path + (query ? "?" + query : ""), window.location.origin);
      const bodyField = field("try-body");
      const body = bodyField ? bodyField.value : "";
      const date = new Date().toISOString();
      const signed = ScalrSigning.stringToSign(method, date, url.pathname, url.search.slice(1), body);
      const headers = new Headers({ Accept: "application/json" });
      headers.set("X-Scalr-Key-Id", keyId.value.trim());
      headers.set("X-Scalr-Date", date);
      show("Signing…", "signing");
      try {
        headers.set("X-Scalr-Signature", "V1-HMAC-SHA256 " + (await ScalrSigning.sign(secret.value, signed)));
      } catch (error) {
        show("Cannot sign: " + error, "error");
        return;
      }
      if (body !== "") headers.set("Content-Type", "application/json");
      if (field("try-debug").checked) headers.set("X-Scalr-Debug", "1");
      show("Sending…", "sending");
      let response;
      let text;
      try {
        response = await fetch(url, {
          method: method,
          headers: headers,
          body: body === "" ? undefined : body,
          credentials: "omit",
          cache: "no-store",
          redirect: "manual",
        });
        text = await response.text();
      } catch (error) {
        show("The request failed: " + error, "error");
        return;
      }
      let lines = [];
      response.headers.forEach((value, name) => lines.push(name + ": " + value));
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch (_) {
        // Not JSON: shown as received.
      }
      field("try-status").textContent = response.status + " " + response.statusText;
      field("try-headers").textContent = lines.join("\n");
      field("try-response").textContent = pretty;
      field("try-string-to-sign").textContent = signed;
      field("try-result").hidden = false;
      show("Answered " + response.status, "done");
    });
  });
}
