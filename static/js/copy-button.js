// "Copy" buttons: copy the text of the element named by data-copy-target.
// A static file, as the Content-Security-Policy forbids inline scripts.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy-button");
  if (!button) return;
  var target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  var text = target.textContent.trim();
  var done = function () {
    button.textContent = button.dataset.copied || button.textContent;
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
  } else {
    selectText(target);
  }
});

function selectText(element) {
  var range = document.createRange();
  range.selectNodeContents(element);
  var selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
