import { configure } from '@chorus/tracker';
import { createApp } from 'vue';
import App from './App.vue';

// Before the elements connect: an inline <comment-prompt> offers its form only once a collector is configured.
configure({ collector: import.meta.env.VITE_CHORUS_COLLECTOR ?? 'http://localhost:8787/collect', site: 'vue-example' });

createApp(App).mount('#app');
