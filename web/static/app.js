// Small progressive enhancements driven by data attributes (no inline scripts: CSP forbids them).
document.addEventListener("focusin", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.hasAttribute("data-select-on-focus")) el.select();
});
// Copy buttons: <button data-copy="#selector">. Without JS the field is still selectable by hand.
document.addEventListener("click", async (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
  if (!button) return;
  const field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "복사됨";
  } catch (_) {
    field.select();
  }
});
// After an error swapped into #flash, bring it into view on small screens.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail && event.detail.target && event.detail.target.id === "flash") {
    event.detail.target.scrollIntoView({ block: "nearest" });
  }
});

// ---- receipts (components/receipts): upload progress, drag and drop, image viewer, OCR boxes ----------
(() => {
  document.documentElement.classList.add("js-receipts");  // CSS hides the raw file inputs behind the big buttons
  // Upload: submit as soon as files are chosen; show progress; accept dropped files on desktop.
  const submitUpload = (form) => {
    if (window.htmx) window.htmx.trigger(form, "submit");
    else form.requestSubmit();
  };
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-auto-submit")) return;
    const form = input.closest("form[data-receipt-upload]");
    if (!form || !input.files || input.files.length === 0) return;
    // Only the input that was used travels (the camera and the file picker share the name "files").
    form.querySelectorAll("input[type=file]").forEach((other) => { if (other !== input) other.value = ""; });
    submitUpload(form);
  });
  document.addEventListener("htmx:xhr:progress", (event) => {
    const form = event.target instanceof Element ? event.target.closest("form[data-receipt-upload]") : null;
    const bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !event.detail || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.target instanceof Element ? event.target.closest("form[data-receipt-upload]") : null;
    if (!form) return;
    const bar = form.querySelector("[data-upload-progress]");
    if (bar) { bar.hidden = true; bar.value = 0; }
    form.querySelectorAll("input[type=file]").forEach((input) => { input.value = ""; });
  });
  const zoneOf = (event) => (event.target instanceof Element ? event.target.closest("[data-dropzone]") : null);
  ["dragenter", "dragover"].forEach((type) => document.addEventListener(type, (event) => {
    const zone = zoneOf(event);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("dragging");
  }));
  document.addEventListener("dragleave", (event) => {
    const zone = zoneOf(event);
    if (zone) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", (event) => {
    const zone = zoneOf(event);
    if (!zone || !event.dataTransfer || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    const input = zone.querySelector("input[type=file]:not([capture])") || zone.querySelector("input[type=file]");
    if (!input) return;
    input.files = event.dataTransfer.files;
    zone.querySelectorAll("input[type=file]").forEach((other) => { if (other !== input) other.value = ""; });
    submitUpload(zone);
  });

  // Review image: zoom, pan (drag), rotate; CSS transform on the stage that holds the image and SVG boxes.
  const state = new WeakMap();
  const apply = (viewer) => {
    const s = state.get(viewer);
    const stage = viewer.querySelector("[data-viewer-stage]");
    if (s && stage) stage.style.transform = `translate(${s.x}px, ${s.y}px) rotate(${s.r}deg) scale(${s.z})`;
  };
  const viewerState = (viewer) => {
    if (!state.has(viewer)) state.set(viewer, { z: 1, r: 0, x: 0, y: 0 });
    return state.get(viewer);
  };
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-viewer-zoom],[data-viewer-rotate],[data-viewer-reset]") : null;
    if (!button) return;
    const viewer = button.closest("[data-viewer]");
    if (!viewer) return;
    const s = viewerState(viewer);
    if (button.hasAttribute("data-viewer-zoom")) s.z = Math.min(8, Math.max(0.25, s.z * parseFloat(button.getAttribute("data-viewer-zoom"))));
    if (button.hasAttribute("data-viewer-rotate")) s.r = (s.r + 90) % 360;
    if (button.hasAttribute("data-viewer-reset")) Object.assign(s, { z: 1, r: 0, x: 0, y: 0 });
    apply(viewer);
  });
  document.addEventListener("wheel", (event) => {
    const frame = event.target instanceof Element ? event.target.closest("[data-viewer-frame]") : null;
    if (!frame || !event.ctrlKey) return;  // ctrl + wheel (and trackpad pinch) zooms; plain wheel scrolls the page
    event.preventDefault();
    const viewer = frame.closest("[data-viewer]");
    const s = viewerState(viewer);
    s.z = Math.min(8, Math.max(0.25, s.z * (event.deltaY < 0 ? 1.1 : 0.9)));
    apply(viewer);
  }, { passive: false });
  let drag = null;
  document.addEventListener("pointerdown", (event) => {
    const frame = event.target instanceof Element ? event.target.closest("[data-viewer-frame]") : null;
    if (!frame || (event.target instanceof Element && event.target.closest("[data-ocr-text]"))) return;
    const viewer = frame.closest("[data-viewer]");
    const s = viewerState(viewer);
    if (s.z <= 1 && event.pointerType === "touch") return;  // let the page scroll on phones until zoomed in
    drag = { viewer, x: event.clientX - s.x, y: event.clientY - s.y, moved: false };
  });
  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const s = viewerState(drag.viewer);
    s.x = event.clientX - drag.x;
    s.y = event.clientY - drag.y;
    drag.moved = true;
    apply(drag.viewer);
  });
  document.addEventListener("pointerup", () => { drag = null; });

  // Clicking an OCR box fills the review field that last had focus (amounts keep digits only).
  let lastField = null;
  document.addEventListener("focusin", (event) => {
    const el = event.target;
    if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && el.closest("[data-review-form]")) lastField = el;
  });
  document.addEventListener("click", (event) => {
    const box = event.target instanceof Element ? event.target.closest("[data-ocr-text]") : null;
    if (!box) return;
    const form = document.querySelector("[data-review-form]");
    const field = lastField && document.body.contains(lastField) ? lastField : form && form.querySelector("input[name=counterparty]");
    if (!field) return;
    let text = box.getAttribute("data-ocr-text") || "";
    if (field.name === "amount") {
      const amounts = text.match(/\d[\d,. ]*\d|\d/g) || [];
      text = (amounts.pop() || "").replace(/[^\d]/g, "");
    } else if (field.type === "date") {
      const m = text.match(/(20\d\d)\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})/);
      text = m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : field.value;
    }
    field.value = text;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
    box.classList.add("picked");
  });
})();
// ---- end receipts ------------------------------------------------------------------------------------------
