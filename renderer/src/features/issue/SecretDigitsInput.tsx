/**
 * A PIN field: password type, numeric keypad, digits only, at most 8.
 * Deliberately uncontrolled: a controlled React input mirrors its value into
 * the DOM `value` attribute, which would put the digits in the page's markup.
 * The store holds the digits; when it clears them, the field is emptied too.
 */
import { useEffect, useRef, type InputHTMLAttributes } from 'react';
import { PIN_MAX_LENGTH } from '../../../../electron/contract/card-profile';
import { pinDigits } from '../../../../electron/contract/pin-rules';

export interface SecretDigitsInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'defaultValue'> {
  /** The digits the store holds; only its emptiness is used (to clear the field). */
  value: string;
  onDigits(digits: string): void;
}

export function SecretDigitsInput({ value, onDigits, ...rest }: SecretDigitsInputProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (value === '' && ref.current && ref.current.value !== '') ref.current.value = '';
  }, [value]);

  return (
    <input
      {...rest}
      ref={ref}
      type="password"
      inputMode="numeric"
      pattern="[0-9]*"
      maxLength={PIN_MAX_LENGTH}
      autoComplete="off"
      spellCheck={false}
      onChange={(e) => {
        const digits = pinDigits(e.target.value);
        if (digits !== e.target.value) e.target.value = digits;
        onDigits(digits);
      }}
    />
  );
}
