/** A one-field form: an input that keeps what is typed and a submit button that hands the text on. */

export interface TextFormProps {
  /** The input's `data-testid`. */
  testId: string;
  placeholder: string;
  /** The submit button's label. */
  button: string;
  value: string;
  onValue(value: string): void;
  onSubmit(value: string): void;
  class?: string;
}

export function TextForm({ testId, placeholder, button, value, onValue, onSubmit, class: className }: TextFormProps) {
  return (
    <form
      class={className}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(value);
      }}
    >
      <input data-testid={testId} placeholder={placeholder} value={value} onInput={(event) => onValue((event.target as HTMLInputElement).value)} />
      <button type="submit">{button}</button>
    </form>
  );
}
