import { render } from 'preact';
import { App } from './app.tsx';
import { takeFromFragment } from './credentials.ts';
import './styles.css';

takeFromFragment();
const root = document.getElementById('app');
if (root) render(<App />, root);
