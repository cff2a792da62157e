// Upload clips (drag and drop, several at once) and follow their analysis jobs.
"use strict";
(function () {
  const box = document.getElementById("upload");
  if (!box) return;
  const patient = box.dataset.patient;
  const csrf = box.dataset.csrf;
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const status = document.getElementById("upload-status");
  const tbody = document.querySelector("#jobs tbody");
  let polling = null;

  function send(files) {
    if (!files.length) return;
    const form = new FormData();
    form.append("exercise", document.getElementById("exercise").value);
    for (const f of files) form.append("clips", f, f.name);
    status.textContent = "Uploading " + files.length + " clip(s)...";
    fetch("/patients/" + patient + "/uploads", {
      method: "POST", body: form, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin",
    }).then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        const problems = (body.files || []).filter((f) => f.error).map((f) => f.name + ": " + f.error);
        if (body.error) problems.push(body.error);
        status.textContent = problems.length ? problems.join("; ") : "Uploaded; analysing.";
        status.className = problems.length ? "error" : "muted";
        poll();
      })
      .catch((e) => { status.textContent = "Upload failed: " + e; status.className = "error"; });
  }

  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    send(Array.from(e.dataTransfer.files));
  });
  input.addEventListener("change", () => { send(Array.from(input.files)); input.value = ""; });

  function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }

  function render(jobs) {
    tbody.replaceChildren();
    for (const j of jobs) {
      const tr = document.createElement("tr");
      tr.id = "job-" + j.id;
      tr.dataset.status = j.status;
      tr.append(cell(j.name), cell(j.exercise));
      const td = document.createElement("td");
      const bar = document.createElement("progress");
      bar.max = 1; bar.value = j.progress;
      td.append(bar, document.createTextNode(" " + j.status));
      tr.append(td);
      const res = document.createElement("td");
      if (j.session) {
        const a = document.createElement("a");
        a.href = "/sessions/" + j.session; a.textContent = "open session"; a.className = "session-link";
        res.append(a);
      } else if (j.error) {
        res.textContent = j.error; res.className = "error";
      }
      tr.append(res);
      tbody.append(tr);
    }
  }

  function poll() {
    fetch("/api/patients/" + patient + "/jobs", { credentials: "same-origin" })
      .then((r) => r.json())
      .then((body) => {
        render(body.jobs);
        const busy = body.jobs.some((j) => j.status === "queued" || j.status === "running");
        clearTimeout(polling);
        if (busy) polling = setTimeout(poll, 1000);
      });
  }
  poll();
})();
