import { componentsOf, type ComponentStatus } from '../api/status';
import ComponentGroup from '../components/ComponentGroup';
import ProbePanel from '../components/ProbePanel';
import StatusBanner from '../components/StatusBanner';
import { formatLocalDateTime, formatLocalTime } from '../format';
import { STATUS_REFRESH_MS, usePlatformStatus } from '../hooks/usePlatformStatus';
import { LoadError, Loading } from '../components/LoadState';

const GROUPS: { id: string; title: string; matches: (c: ComponentStatus) => boolean }[] = [
  { id: 'infrastructure', title: 'Infrastructure', matches: (c) => c.kind === 'infrastructure' },
  { id: 'services', title: 'Platform services', matches: (c) => c.kind === 'service' },
  { id: 'other', title: 'Other', matches: (c) => c.kind !== 'infrastructure' && c.kind !== 'service' },
];

export default function StatusPage() {
  const { data, error, loading, refresh } = usePlatformStatus();
  const components = data ? componentsOf(data) : [];

  return (
    <section className="page" aria-labelledby="status-title" aria-busy={loading && !data}>
      <div className="page-header">
        <div>
          <h1 id="status-title">Platform status</h1>
          <p className="muted">
            {data ? (
              <>
                Checked at{' '}
                <time dateTime={data.checkedAt ?? undefined} title={formatLocalDateTime(data.checkedAt)}>
                  {formatLocalTime(data.checkedAt)}
                </time>
                {' · '}
              </>
            ) : null}
            Refreshes every {STATUS_REFRESH_MS / 1000} s.
          </p>
        </div>
        <div className="page-actions">
          {loading && data && (
            <span className="muted" role="status">
              Updating…
            </span>
          )}
          <button type="button" className="button button-secondary" onClick={refresh} aria-busy={loading}>
            Refresh
          </button>
        </div>
      </div>

      {error && (
        <LoadError what="platform status" error={error}>
          {data && (
            <p className="stale-note">
              Showing stale data from the last successful check at {formatLocalTime(data.checkedAt)}.
            </p>
          )}
        </LoadError>
      )}

      {!data && loading && !error && (
        <Loading what="platform status" />
      )}

      {data && (
        <div className={error ? 'stale' : undefined}>
          <StatusBanner status={data} />
          {GROUPS.map((group) => {
            const members = components.filter(group.matches);
            return members.length === 0 ? null : (
              <ComponentGroup key={group.id} id={group.id} title={group.title} components={members} />
            );
          })}
          {components.length === 0 && <p className="muted">The API reported no components.</p>}
        </div>
      )}

      <ProbePanel />
    </section>
  );
}
