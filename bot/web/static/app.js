// dondoc's pages: the chat's live messages (server-sent events) and its forms without reloads.
(function () {
  "use strict";

  function scrollDown(box) { box.scrollTop = box.scrollHeight; }

  function show(box, data) {
    var old = document.getElementById("m-" + data.id);
    var holder = document.createElement("div");
    holder.innerHTML = data.html.trim();
    var fresh = holder.firstElementChild;
    if (!fresh) { return; }
    if (old) { old.replaceWith(fresh); return; }
    var empty = box.querySelector(".empty");
    if (empty) { empty.remove(); }
    box.appendChild(fresh);
    scrollDown(box);
  }

  function submitQuietly(form, event) {
    event.preventDefault();
    var body = new FormData(form);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.getAttribute("action"), { method: "POST", body: body, headers: { "X-Requested-With": "fetch" },
                         credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok && response.status !== 204) { window.location.reload(); }
      })
      .catch(function () { form.submit(); })
      .finally(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        var input = form.querySelector("input[name=text]");
        if (input) { input.value = ""; input.focus(); }
        var file = form.querySelector("input[type=file]");
        if (file) { file.value = ""; file.parentNode.classList.remove("chosen"); }
      });
  }

  // The demo clock in the header keeps running at its pace between pages.
  function runDemoClock() {
    var holder = document.querySelector(".demo-clock[data-now]");
    if (!holder) { return; }
    var start = Number(holder.getAttribute("data-now"));
    var factor = Number(holder.getAttribute("data-factor"));
    var loaded = Date.now();
    var vi = holder.getAttribute("data-locale") === "vi";
    var format = new Intl.DateTimeFormat(vi ? "vi-VN" : "en-GB", {
      timeZone: holder.getAttribute("data-zone"), hour: "2-digit", minute: "2-digit",
      day: "2-digit", month: vi ? "2-digit" : "short", year: "numeric", hourCycle: "h23"
    });
    var shown = holder.querySelector("time");
    function tick() {
      var parts = {};
      format.formatToParts(new Date(start + (Date.now() - loaded) * factor)).forEach(function (p) {
        parts[p.type] = p.value;
      });
      shown.textContent = vi
        ? parts.hour + ":" + parts.minute + " " + parts.day + "/" + parts.month + "/" + parts.year
        : parts.day + " " + parts.month + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
    }
    window.setInterval(tick, 1000);
  }

  document.addEventListener("DOMContentLoaded", runDemoClock);

  document.addEventListener("DOMContentLoaded", function () {
    var chat = document.querySelector(".chat[data-events]");
    if (!chat) { return; }
    var box = document.getElementById("messages");
    scrollDown(box);
    var source = new EventSource(chat.getAttribute("data-events"));
    source.addEventListener("open", function () { chat.setAttribute("data-live", "yes"); });
    source.addEventListener("message", function (event) { show(box, JSON.parse(event.data)); });
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type === "file" && input.parentNode.classList.contains("attach")) {
        input.parentNode.classList.toggle("chosen", input.files.length > 0);
      }
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.classList && form.classList.contains("js-chat")) { submitQuietly(form, event); }
    });
  });
})();
