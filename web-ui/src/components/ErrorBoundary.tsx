import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  /** What failed, in words: "Canary rollout panel", "Run page". */
  name: string;
  children: ReactNode;
  /** When any of these changes (Object.is), a shown error is cleared and the children render again. */
  resetKeys?: readonly unknown[];
}

interface ErrorBoundaryState {
  error: Error | null;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' && error ? error : 'unknown error';
}

function changed(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length !== b.length || a.some((value, i) => !Object.is(value, b[i]));
}

/**
 * Keeps a rendering error inside the part of the page that failed: that part shows what failed
 * and a "Try again" button, the rest of the page stays usable (React unmounts the whole tree on
 * an uncaught render error, which leaves a blank page).
 */
export default class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(messageOf(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.name} failed to display`, error, info.componentStack);
  }

  componentDidUpdate(previous: ErrorBoundaryProps): void {
    if (this.state.error && changed(previous.resetKeys, this.props.resetKeys)) {
      this.reset();
    }
  }

  reset = (): void => {
    this.setState({ error: null });
  };

  render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error panel-error" role="alert">
        <p>
          <strong>{this.props.name} failed to display:</strong> {messageOf(error)}
        </p>
        <button type="button" className="button button-secondary" onClick={this.reset}>
          Try again
        </button>
      </div>
    );
  }
}
