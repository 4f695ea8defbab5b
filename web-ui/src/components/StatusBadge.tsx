interface StatusBadgeProps {
  up: boolean;
}

/** Up/down badge: the state is in the text, the colour and icon only reinforce it. */
export default function StatusBadge({ up }: StatusBadgeProps) {
  return (
    <span className={`badge ${up ? 'badge-up' : 'badge-down'}`}>
      <span aria-hidden="true" className="badge-icon">
        {up ? '✓' : '✕'}
      </span>
      {up ? 'Up' : 'Down'}
    </span>
  );
}
