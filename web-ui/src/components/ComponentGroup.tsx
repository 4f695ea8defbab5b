import type { ComponentStatus } from '../api/status';
import ComponentCard from './ComponentCard';

interface ComponentGroupProps {
  id: string;
  title: string;
  components: ComponentStatus[];
}

export default function ComponentGroup({ id, title, components }: ComponentGroupProps) {
  const down = components.filter((c) => !c.up).length;
  const headingId = `${id}-title`;
  return (
    <section className="group" aria-labelledby={headingId}>
      <h2 id={headingId} className="group-title">
        {title}{' '}
        <span className="group-summary">
          ({components.length - down} of {components.length} up)
        </span>
      </h2>
      <div className="card-grid">
        {components.map((component) => (
          <ComponentCard key={component.name} component={component} />
        ))}
      </div>
    </section>
  );
}
