// Small progressive enhancements driven by data attributes (no inline scripts: CSP forbids them).
document.addEventListener("focusin", (event) => {
  const el = event.target;
  if (el instanceof HTMLInputElement && el.hasAttribute("data-select-on-focus")) el.select();
});
// After an error swapped into #flash, bring it into view on small screens.
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail && event.detail.target && event.detail.target.id === "flash") {
    event.detail.target.scrollIntoView({ block: "nearest" });
  }
});
