// Passkeys and security keys: the one place where signing in needs JavaScript. A form marked
// data-passkey="create" or "get" carries the server's options (data-options, JSON); its button
// asks the browser for the key, and the answer goes back in the hidden field "credential".
(function () {
  "use strict";
  const decode = (text) =>
    Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const encode = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer)))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");

  async function create(options) {
    const key = options.publicKey;
    key.challenge = decode(key.challenge);
    key.user.id = decode(key.user.id);
    (key.excludeCredentials || []).forEach((c) => (c.id = decode(c.id)));
    // Chromium refuses a credProtect of "user verification required" unless verification is
    // required too; the server does not enforce it, so it is not asked for.
    if (key.extensions && !key.extensions.enforceCredentialProtectionPolicy) {
      delete key.extensions.credentialProtectionPolicy;
      delete key.extensions.enforceCredentialProtectionPolicy;
    }
    const made = await navigator.credentials.create({ publicKey: key });
    return {
      id: made.id,
      rawId: encode(made.rawId),
      type: made.type,
      extensions: {},
      response: {
        attestationObject: encode(made.response.attestationObject),
        clientDataJSON: encode(made.response.clientDataJSON),
      },
    };
  }

  async function get(options) {
    const key = options.publicKey;
    key.challenge = decode(key.challenge);
    (key.allowCredentials || []).forEach((c) => (c.id = decode(c.id)));
    const found = await navigator.credentials.get({ publicKey: key });
    const answer = found.response;
    return {
      id: found.id,
      rawId: encode(found.rawId),
      type: found.type,
      extensions: {},
      response: {
        authenticatorData: encode(answer.authenticatorData),
        clientDataJSON: encode(answer.clientDataJSON),
        signature: encode(answer.signature),
        userHandle: answer.userHandle ? encode(answer.userHandle) : null,
      },
    };
  }

  document.querySelectorAll("form[data-passkey]").forEach((form) => {
    const button = form.querySelector("button");
    const problem = form.querySelector(".passkey-problem");
    if (!window.PublicKeyCredential) {
      problem.hidden = false;
      return;
    }
    button.disabled = false;
    button.addEventListener("click", async () => {
      problem.hidden = true;
      try {
        const options = JSON.parse(form.dataset.options);
        const answer = form.dataset.passkey === "create" ? await create(options) : await get(options);
        form.elements.credential.value = JSON.stringify(answer);
        form.submit();
      } catch (error) {
        // The browser's reason, for whoever helps the person (not shown as such).
        problem.dataset.reason = String(error);
        problem.hidden = false;
      }
    });
  });
})();
