/** A `<vscode-single-select>` (registered by each app's elements module) and its current value. */
export type Select = HTMLElement & { value: string; open?: boolean };

/**
 * The dropdown every app builds: `options` are `[value, text]` pairs and the one whose value is `selected` starts
 * selected. `onChange` gets the new value on every change.
 */
export function select(options: readonly (readonly [string, string])[], settings: { selected?: string; label?: string; onChange?: (value: string) => void } = {}): Select {
  const node = document.createElement('vscode-single-select') as unknown as Select;
  if (settings.label !== undefined) node.setAttribute('aria-label', settings.label);
  for (const [value, text] of options) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', value);
    option.textContent = text;
    if (value === settings.selected) option.setAttribute('selected', '');
    node.append(option);
  }
  const onChange = settings.onChange;
  if (onChange) node.addEventListener('change', () => onChange(node.value));
  return node;
}
