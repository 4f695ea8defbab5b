import type { ReactNode } from 'react';

/** Stable DOM ids for a field path such as "window.end" or "gate.regionFloors[US]". */
export function fieldId(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

export function errorId(path: string): string {
  return `${fieldId(path)}-error`;
}

export function hintId(path: string): string {
  return `${fieldId(path)}-hint`;
}

/** aria props for an input showing `errors` and an optional hint. */
export function describedBy(path: string, error: string | undefined, hint?: ReactNode) {
  const ids = [error ? errorId(path) : null, hint ? hintId(path) : null].filter(Boolean);
  return {
    id: fieldId(path),
    'aria-invalid': error ? (true as const) : undefined,
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
  };
}

export function FieldError({ path, error }: { path: string; error: string | undefined }) {
  return error ? (
    <p className="field-error" id={errorId(path)}>
      {error}
    </p>
  ) : null;
}

interface TextFieldProps {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  type?: 'text' | 'date';
  inputMode?: 'decimal' | 'numeric' | 'text';
  placeholder?: string;
  required?: boolean;
}

/** A labelled input with its hint and the API's message for it (aria-describedby, aria-invalid). */
export function TextField({
  path,
  label,
  value,
  onChange,
  error,
  hint,
  type = 'text',
  inputMode,
  placeholder,
  required,
}: TextFieldProps) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={fieldId(path)}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        {...describedBy(path, error, hint)}
        name={path}
        type={type}
        inputMode={inputMode}
        placeholder={placeholder}
        required={required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p className="field-hint" id={hintId(path)}>
          {hint}
        </p>
      )}
      <FieldError path={path} error={error} />
    </div>
  );
}

/**
 * One choice out of a list, as radio buttons in a fieldset that carries the field's id and error
 * (the form's focus and message routing find it by `path`).
 */
export function RadioGroup({
  path,
  legend,
  options,
  value,
  onChange,
  error,
  label = (option) => option,
}: {
  path: string;
  legend: string;
  options: readonly string[];
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  label?: (option: string) => ReactNode;
}) {
  return (
    <fieldset
      className={error ? 'radio-group field-invalid' : 'radio-group'}
      id={fieldId(path)}
      data-field={path}
      aria-describedby={error ? errorId(path) : undefined}
    >
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="checkbox">
          <input
            type="radio"
            name={path}
            value={option}
            checked={value === option}
            aria-invalid={error ? true : undefined}
            onChange={() => onChange(option)}
          />
          {label(option)}
        </label>
      ))}
      <FieldError path={path} error={error} />
    </fieldset>
  );
}
