import { componentsOf, type PlatformStatus } from '../api/status';

interface StatusBannerProps {
  status: PlatformStatus;
}

export function summarize(status: PlatformStatus): { ok: boolean; text: string } {
  const components = componentsOf(status);
  const total = components.length;
  const down = components.filter((c) => !c.up).length;
  if (down > 0) {
    return { ok: false, text: `${down} of ${total} components down` };
  }
  if (!status.healthy) {
    return { ok: false, text: 'Platform reports unhealthy, although all components are up' };
  }
  return { ok: true, text: `All healthy: ${total} of ${total} components up` };
}

export default function StatusBanner({ status }: StatusBannerProps) {
  const { ok, text } = summarize(status);
  return (
    <div className={`banner ${ok ? 'banner-ok' : 'banner-bad'}`} role="status" data-testid="status-banner">
      <span aria-hidden="true" className="banner-icon">
        {ok ? '✓' : '!'}
      </span>
      <strong>{text}</strong>
    </div>
  );
}
