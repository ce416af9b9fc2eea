import { configure } from '@chorus/tracker';
import { mount } from 'svelte';
import App from './App.svelte';

// Before the elements connect: an inline <comment-prompt> offers its form only once a collector is configured.
configure({ collector: import.meta.env.VITE_CHORUS_COLLECTOR ?? 'http://localhost:8787/collect', site: 'svelte-example' });

mount(App, { target: document.getElementById('app')! });
