/**
 * A button for what cannot be undone: the first press asks, a second within 5 s does it. No
 * browser dialog: it would block the page and its live updates.
 */
import { useEffect, useState } from 'react';

interface Props {
  label: string;
  confirmLabel: string;
  onConfirm(): Promise<unknown> | undefined;
  danger?: boolean;
  disabled?: boolean;
}

export function ConfirmButton({ label, confirmLabel, onConfirm, danger, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => setAsking(false), 5_000);
    return () => clearTimeout(timer);
  }, [asking]);
  const press = async () => {
    if (!asking) return setAsking(true);
    setAsking(false);
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={`button${danger ? ' danger' : ''}${asking ? ' asking' : ''}`}
      disabled={disabled || busy}
      onClick={() => void press()}
    >
      {asking ? confirmLabel : label}
    </button>
  );
}
