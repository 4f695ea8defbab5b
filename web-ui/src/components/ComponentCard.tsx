import type { ComponentStatus } from '../api/status';
import StatusBadge from './StatusBadge';

interface ComponentCardProps {
  component: ComponentStatus;
}

export default function ComponentCard({ component }: ComponentCardProps) {
  const name = component.name ?? 'unnamed component';
  const up = component.up === true;
  const headingId = `component-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return (
    <article
      className={`card ${up ? 'card-up' : 'card-down'}`}
      aria-labelledby={headingId}
      data-testid={`component-${name}`}
    >
      <div className="card-header">
        <h3 id={headingId} className="card-title">
          {name}
        </h3>
        <StatusBadge up={up} />
      </div>
      <p className="card-detail">{component.detail || 'No details reported.'}</p>
      {component.url && (
        <p className="card-actions">
          <a className="card-link" href={component.url} target="_blank" rel="noopener noreferrer">
            Open<span className="visually-hidden"> {name} (opens in a new tab)</span>
          </a>
        </p>
      )}
    </article>
  );
}
