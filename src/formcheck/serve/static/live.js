// Live coaching in the browser: camera frames to the server, counts, cues and skeleton back.
"use strict";
(function () {
  const box = document.getElementById("live");
  if (!box) return;
  const token = box.dataset.token;
  const edges = JSON.parse(box.dataset.edges);
  const video = document.getElementById("camera");
  const overlay = document.getElementById("overlay");
  const ctx = overlay.getContext("2d");
  const startBtn = document.getElementById("start");
  const stopBtn = document.getElementById("stop");
  const countEl = document.getElementById("live-count");
  const targetEl = document.getElementById("live-target");
  const labelEl = document.getElementById("counter-label");
  const holdEl = document.getElementById("hold");
  const cueEl = document.getElementById("cue");
  const statusEl = document.getElementById("live-status");
  // Frames go at most this often and this wide, one at a time: a slow link or a busy
  // server then drops frames instead of queueing them, so the latency stays low.
  const MIN_GAP_MS = 66;
  const WIDTH = 480;
  const grab = document.createElement("canvas");
  const stats = { frames: 0, latencies: [], count: 0, saved: null };
  window.formcheckLive = stats;
  let ws = null, stream = null, t0 = 0, inFlight = false, lastSent = 0, timer = null;
  const sentAt = new Map();

  function say(text) {
    if (!text || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function draw(points) {
    overlay.width = video.videoWidth || 640;
    overlay.height = video.videoHeight || 480;
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    if (!points) return;
    ctx.lineWidth = 4; ctx.strokeStyle = "#3ddc84"; ctx.fillStyle = "#ffcc00";
    for (const [a, b] of edges) {
      const p = points[a], q = points[b];
      if (!p || !q) continue;
      ctx.beginPath();
      ctx.moveTo(p[0] * overlay.width, p[1] * overlay.height);
      ctx.lineTo(q[0] * overlay.width, q[1] * overlay.height);
      ctx.stroke();
    }
    for (const p of points) {
      if (!p) continue;
      ctx.beginPath(); ctx.arc(p[0] * overlay.width, p[1] * overlay.height, 4, 0, 6.3); ctx.fill();
    }
  }

  function show(s) {
    stats.count = s.count;
    countEl.textContent = String(s.count);
    labelEl.textContent = s.label;
    targetEl.textContent = s.target ? " / " + s.target : "";
    holdEl.textContent = s.hold_s != null ? "holding " + s.hold_s.toFixed(1) + " s" : "";
    cueEl.textContent = s.cue || (s.status !== "ok" ? s.message : "") || "";
    if (s.speak) say(s.speak);
    if (s.done && !stats.doneSaid) { stats.doneSaid = true; say("Well done"); }
    draw(s.points);
  }

  function sendFrame() {
    if (!ws || ws.readyState !== WebSocket.OPEN || inFlight || !video.videoWidth) return;
    const now = performance.now();
    if (now - lastSent < MIN_GAP_MS) return;
    lastSent = now;
    inFlight = true;
    grab.width = WIDTH;
    grab.height = Math.round(video.videoHeight * WIDTH / video.videoWidth);
    grab.getContext("2d").drawImage(video, 0, 0, grab.width, grab.height);
    const t = (now - t0) / 1000;
    grab.toBlob((blob) => {
      if (!blob || !ws || ws.readyState !== WebSocket.OPEN) { inFlight = false; return; }
      blob.arrayBuffer().then((jpeg) => {
        const msg = new Uint8Array(8 + jpeg.byteLength);
        new DataView(msg.buffer).setFloat64(0, t, true);
        msg.set(new Uint8Array(jpeg), 8);
        sentAt.set(t, now);
        ws.send(msg);
      });
    }, "image/jpeg", 0.75);
  }

  function median(xs) {
    if (!xs.length) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }

  async function start() {
    startBtn.disabled = true;
    statusEl.textContent = "Starting the camera...";
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (e) {
      statusEl.textContent = "No camera: " + e.message;
      startBtn.disabled = false;
      return;
    }
    video.srcObject = stream;
    const exercise = document.getElementById("exercise").value;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/p/" + token + "/live?exercise=" + encodeURIComponent(exercise));
    ws.binaryType = "arraybuffer";
    ws.onmessage = (ev) => {
      const s = JSON.parse(ev.data);
      if (s.ready) {
        t0 = performance.now();
        statusEl.textContent = "Go when ready.";
        stopBtn.disabled = false;
        timer = setInterval(sendFrame, 10);
        return;
      }
      if (s.saved !== undefined) {
        stats.saved = s.saved;
        statusEl.textContent = s.saved ? "Saved: " + s.count + " counted." : "Nothing to save.";
        statusEl.dataset.saved = String(s.saved);
        return;
      }
      if (s.error) { statusEl.textContent = s.error; inFlight = false; return; }
      const sent = sentAt.get(s.t);
      if (sent !== undefined) { stats.latencies.push(performance.now() - sent); sentAt.delete(s.t); }
      stats.frames += 1;
      inFlight = false;
      show(s);
      if (stats.frames % 15 === 0) {
        statusEl.textContent = stats.frames + " frames, latency median " + Math.round(median(stats.latencies)) + " ms";
      }
    };
    ws.onclose = (ev) => {
      if (ev.code === 4429) statusEl.textContent = "The server is busy: try again in a minute.";
      else if (ev.code === 4403) statusEl.textContent = "This link is not valid any more.";
      finish();
    };
  }

  function finish() {
    clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    stopBtn.disabled = true;
    startBtn.disabled = false;
  }

  startBtn.addEventListener("click", start);
  stopBtn.addEventListener("click", () => {
    clearInterval(timer);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "stop" }));
  });
})();
