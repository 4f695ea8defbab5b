import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import App from './App';
import { STATUS_ONE_DOWN, jsonResponse } from './test/fixtures';

describe('App', () => {
  it('shows the product name and a nav with only the Status page, marked current', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => jsonResponse(STATUS_ONE_DOWN)),
    );
    render(<App />);

    expect(screen.getByRole('link', { name: 'rankops' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const links = Array.from(nav.querySelectorAll('a'));
    expect(links.map((a) => a.textContent)).toEqual(['Status']);
    expect(links[0]).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { level: 1, name: 'Platform status' })).toBeInTheDocument();
  });
});
