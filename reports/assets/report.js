(function () {
  if (!navigator.clipboard || !document.querySelectorAll) return;
  var status = document.getElementById('copy-status');
  document.querySelectorAll('button.copy').forEach(function (button) {
    var code = document.getElementById(button.getAttribute('data-copy'));
    if (!code) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        button.textContent = 'Copied';
        status.textContent = 'Replay command copied to the clipboard.';
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = 'Could not copy; the command is selected.';
      });
    });
  });
})();
