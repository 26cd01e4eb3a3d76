// sagsgenerator: every page works without this file; it only makes them nicer.
(function () {
  "use strict";

  // Drag and drop onto the upload field, and a list of the chosen files.
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var list = zone.querySelector("[data-chosen]");
    function show() {
      if (!list) return;
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name;
        list.appendChild(item);
      });
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  });

  // Sort the findings table in place (the header links sort on the server without this).
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var body = table.tBodies[0];
    var caption = table.querySelector("caption");
    table.querySelectorAll("thead a[data-sort-key]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var key = link.getAttribute("data-sort-key");
        var th = link.parentElement;
        var descending = th.getAttribute("aria-sort") === "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = Number(a.getAttribute("data-rank-" + key));
          var y = Number(b.getAttribute("data-rank-" + key));
          return descending ? y - x : x - y;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        table.querySelectorAll("thead th").forEach(function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
          var mark = other.querySelector(".sort-mark");
          if (mark) mark.textContent = " ↕";
        });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        link.querySelector(".sort-mark").textContent = descending ? " ▼" : " ▲";
        if (caption) {
          caption.textContent = "Fund i de indsendte filer, sorteret efter " +
            link.firstChild.textContent.trim().toLowerCase() +
            (descending ? " (faldende)" : " (stigende)");
        }
        var url = new URL(link.href);
        history.replaceState(null, "", url.pathname + url.search + url.hash);
        link.href = "?sorter=" + key + "&orden=" + (descending ? "stigende" : "faldende") + "#fund";
      });
    });
  });

  // The documents are ready before their previews: fetch the previews when they are made
  // and put them in place, without reloading the page under the user's feet.
  var pending = document.querySelector("section[data-previews]:not([data-previews=faerdig])");
  var progressBox = document.querySelector("[data-progress]");
  if (pending && !progressBox && window.fetch && window.DOMParser) {
    var statusUrl = window.location.pathname + "/status";
    var check = function () {
      fetch(statusUrl, { cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (status.previews !== "faerdig") { setTimeout(check, 700); return; }
          return fetch(window.location.href, { cache: "no-store" })
            .then(function (response) { return response.text(); })
            .then(function (text) {
              var fresh = new DOMParser().parseFromString(text, "text/html")
                .querySelector("section[data-previews]");
              if (fresh) pending.replaceWith(fresh);
            });
        })
        .catch(function () { setTimeout(check, 2000); });
    };
    setTimeout(check, 400);
  }

  // Follow the document job without reloading the page every two seconds.
  var box = document.querySelector("[data-progress]");
  if (box && window.fetch) {
    var meta = document.querySelector('meta[http-equiv="refresh"]');
    if (meta) meta.parentNode.removeChild(meta);
    var bar = box.querySelector("progress");
    var step = box.querySelector("[data-step]");
    var poll = function () {
      fetch(box.getAttribute("data-status-url"), { cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (status) {
          if (status.state === "faerdig" || status.state === "fejl" || status.state === "ingen") {
            window.location.reload();
            return;
          }
          bar.max = status.total;
          bar.value = status.done;
          if (step.textContent !== status.step) step.textContent = status.step;
          setTimeout(poll, 600);
        })
        .catch(function () { setTimeout(function () { window.location.reload(); }, 2000); });
    };
    setTimeout(poll, 300);
  }
})();
