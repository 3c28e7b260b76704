// Filters the municipality chooser as the user types. Without JavaScript the plain select stays,
// which already supports type-ahead.
document.querySelectorAll("[data-filter-for]").forEach((wrapper) => {
  const select = document.getElementById(wrapper.dataset.filterFor);
  const input = wrapper.querySelector("input");
  if (!select || !input) return;
  wrapper.hidden = false;
  input.addEventListener("input", () => {
    const term = input.value.trim().toLocaleLowerCase("de");
    let first = null;
    select.querySelectorAll("option").forEach((option) => {
      if (!option.value) return;
      const match = option.textContent.toLocaleLowerCase("de").includes(term);
      option.hidden = !match;
      option.disabled = !match;
      if (match && !first) first = option;
    });
    if (term && first && (select.selectedOptions[0]?.hidden || !select.value)) {
      first.selected = true;
    }
  });
});
