// The import preview keeps one edit version for the whole page. After an HTMX save the server
// swaps in the new number (#current-version); every later request from this page, HTMX or a
// plain form post, sends that number, so only a save made from a really outdated screen (for
// instance, someone else's edit in between) is refused as stale.
function theodoiCurrentVersion() {
  var current = document.getElementById("current-version");
  return current ? current.dataset.version : null;
}

document.addEventListener("htmx:configRequest", function (evt) {
  var version = theodoiCurrentVersion();
  var params = evt.detail.parameters;
  if (version === null) return;
  if (typeof params.has === "function") {
    if (params.has("version")) params.set("version", version);
  } else if ("version" in params) {
    params.version = version;
  }
});

document.addEventListener("submit", function (evt) {
  var version = theodoiCurrentVersion();
  var field = evt.target.elements ? evt.target.elements.namedItem("version") : null;
  if (version !== null && field) field.value = version;
}, true);
