// One copy button per section of the upper-level report: copies the section's text (kept in a
// read-only textarea, so it can also be selected by hand) to the clipboard.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest ? evt.target.closest("[data-copy-target]") : null;
  if (!button) return;
  var source = document.getElementById(button.dataset.copyTarget);
  if (!source) return;
  var done = function () {
    var label = button.textContent;
    button.textContent = button.dataset.copiedLabel || label;
    setTimeout(function () { button.textContent = label; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, function () {
      source.select();
    });
  } else {
    // Plain HTTP on a commune's own server: fall back to selecting and copying.
    source.focus();
    source.select();
    try { if (document.execCommand("copy")) done(); } catch (e) { /* selected for Ctrl+C */ }
  }
});
