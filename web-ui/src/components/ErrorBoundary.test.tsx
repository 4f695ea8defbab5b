import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ErrorBoundary from './ErrorBoundary';

let broken = true;

function Fragile() {
  if (broken) {
    // what RolloutPanel did with the API's "NaN": call a number method on a string
    const z = 'NaN' as unknown as number;
    return <p>{z.toFixed(2)}</p>;
  }
  return <p>z = 0.41</p>;
}

describe('ErrorBoundary', () => {
  beforeEach(() => {
    broken = true;
    // React (and the boundary) report the caught error on the console; keep the test output clean.
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  it('shows which panel failed and why, while its sibling panel still renders', () => {
    render(
      <>
        <ErrorBoundary name="Canary rollout panel">
          <Fragile />
        </ErrorBoundary>
        <ErrorBoundary name="Gate verdict">
          <h2>Gate verdict</h2>
        </ErrorBoundary>
      </>,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveClass('error', 'panel-error');
    expect(alert).toHaveTextContent(/^Canary rollout panel failed to display: .*toFixed is not a function/);
    expect(screen.getByRole('heading', { name: 'Gate verdict' })).toBeInTheDocument();
  });

  it('renders the children again after "Try again"', async () => {
    const user = userEvent.setup();
    render(
      <ErrorBoundary name="Canary rollout panel">
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toBeInTheDocument();
    broken = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText('z = 0.41')).toBeInTheDocument();
  });

  it('recovers by itself when a reset key changes (another page, new data)', () => {
    const { rerender } = render(
      <ErrorBoundary name="Run page" resetKeys={['/runs/run-1']}>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Run page failed to display');

    // the same keys (a new array with equal values) keep the error shown
    rerender(
      <ErrorBoundary name="Run page" resetKeys={['/runs/run-1']}>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toBeInTheDocument();

    broken = false;
    rerender(
      <ErrorBoundary name="Run page" resetKeys={['/runs']}>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText('z = 0.41')).toBeInTheDocument();
  });

  it('describes a thrown non-Error value', () => {
    function Thrower(): never {
      throw 'plain text problem';
    }
    render(
      <ErrorBoundary name="Models table">
        <Thrower />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Models table failed to display: plain text problem');
  });
});
